"""开户银行 / 银行账号: optional, 12–30 digits, masked (****1234) on every door but the bank file."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from imports.tests.factories import sheet_bytes
from registry import services
from registry.models import Person
from registry.tests.factories import PersonFactory, person_edit_data

pytestmark = pytest.mark.django_db
ACCOUNT = "6222021234567890123"


@pytest.mark.parametrize("account", ["12345678901", "6222-0212-3456", "1" * 31, "62220212345678ab"])
def test_bank_account_must_be_12_to_30_digits(account):
    person = PersonFactory.build(bank_account=account)

    with pytest.raises(ValidationError) as exc:
        person.full_clean(exclude=["street", "community"])

    assert "银行账号应为12至30位数字" in exc.value.message_dict["bank_account"]


def test_bank_details_are_optional_and_kept_in_history(clerk_user):
    person = PersonFactory()
    services.person_update(acting_user=clerk_user, person=person, bank_name="中国银行", bank_account=ACCOUNT)

    assert person.history.first().bank_account == ACCOUNT
    assert person.masked_bank_account == "****0123"


def test_person_page_and_history_show_the_account_masked(client, clerk_user):
    person = PersonFactory()
    services.person_update(acting_user=clerk_user, person=person, bank_account=ACCOUNT)
    client.force_login(clerk_user)

    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    form = client.get(reverse("registry:person_update", args=[person.pk])).content.decode()

    assert "****0123" in page and ACCOUNT not in page
    assert ACCOUNT not in form and "****0123" in form


def test_edit_form_left_blank_keeps_the_account(client, clerk_user):
    person = PersonFactory(bank_account=ACCOUNT)
    client.force_login(clerk_user)
    data = person_edit_data(person, bank_name="工商银行", bank_account="")

    client.post(reverse("registry:person_update", args=[person.pk]), data)

    person.refresh_from_db()
    assert (person.bank_name, person.bank_account) == ("工商银行", ACCOUNT)


def test_api_reads_masked_and_never_the_full_account(client, clerk_user):
    person = PersonFactory(bank_account=ACCOUNT)
    client.force_login(clerk_user)

    body = client.get(f"/api/registry/persons/{person.pk}/").content.decode()

    assert "****0123" in body and ACCOUNT not in body


def test_person_export_masks_the_account_and_the_export_imports_back_unchanged(staff_user):
    from imports.services import run_import
    from registry.resources import PersonResource
    from sheets.exports import write_export

    PersonFactory(bank_account=ACCOUNT, bank_name="中国银行")
    output = io.BytesIO()
    write_export(PersonResource, Person.objects.all(), output)
    rows = list(load_workbook(io.BytesIO(output.getvalue())).worksheets[0].values)
    header = list(rows[0])

    assert rows[1][header.index("银行账号")] == "****0123"
    assert ACCOUNT not in str(rows)

    report = run_import("persons", output.getvalue())

    assert report.errors == [] and report.updated == 0
    assert Person.objects.get().bank_account == ACCOUNT


def test_import_with_bank_columns_sets_them_and_without_them_leaves_them(staff_user):
    from imports.services import run_import

    person = PersonFactory(bank_account=ACCOUNT)
    base = ["姓名", "公民身份号码", "残疾类别", "残疾等级", "发证日期", "所属街道"]
    row = [person.name, person.id_number, "肢体", "二级", "2015-06-01", "宁海路街道"]

    report = run_import("persons", _workbook([base, row]))
    assert report.errors == []
    assert Person.objects.get().bank_account == ACCOUNT

    report = run_import(
        "persons", _workbook([[*base, "开户银行", "银行账号"], [*row, "建设银行", "622700001111"]])
    )
    assert report.errors == [] and report.updated == 1
    assert Person.objects.get().bank_account == "622700001111"

    report = run_import("persons", _workbook([[*base, "银行账号"], [*row, "12ab"]]))
    assert [e["message"] for e in report.errors] == ["银行账号应为12至30位数字（填写的是：12ab）"]


def test_persons_template_keeps_bank_columns_optional():
    from registry.resources import PersonResource

    fields = {f.column_name: f for f in PersonResource.portal_fields()}

    assert fields["开户银行"].required is False and fields["银行账号"].required is False


def _workbook(rows) -> bytes:
    return sheet_bytes(rows)


def test_admin_pages_show_the_account_masked(client, admin_user, staff_user):
    person = PersonFactory()
    services.person_update(acting_user=staff_user, person=person, bank_account=ACCOUNT)
    services.person_update(acting_user=staff_user, person=person, bank_account="622202000011112222")
    client.force_login(admin_user)

    change = client.get(reverse("admin:registry_person_change", args=[person.pk])).content.decode()
    history = client.get(reverse("admin:registry_person_history", args=[person.pk])).content.decode()

    assert "****2222" in change and "622202000011112222" not in change
    assert "****0123" in history and ACCOUNT not in history and "622202000011112222" not in history


def test_bad_account_is_refused_with_one_message_by_form_and_api(client, clerk_user):
    person = PersonFactory()
    client.force_login(clerk_user)
    data = person_edit_data(person, bank_account="6222-abc")

    form = client.post(reverse("registry:person_update", args=[person.pk]), data).content.decode()
    api = client.patch(
        f"/api/registry/persons/{person.pk}/", {"bank_account": "6222-abc"}, content_type="application/json"
    )

    assert "银行账号应为12至30位数字" in form
    assert api.status_code == 400 and "银行账号应为12至30位数字" in api.content.decode()
    person.refresh_from_db()
    assert person.bank_account == ""
