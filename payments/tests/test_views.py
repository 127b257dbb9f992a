"""Pages and API of the payment rolls: the workflow through the doors, scope, masking, totals only for officials."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from payments.models import Roll, RollLine, RollState, Standard
from payments.tests.helpers import approved_roll, return_file, second_staff
from registry.models import AccessLog
from registry.tests.factories import PersonFactory, street
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-03-05 10:00:00")]
JAN, MAR = dt.date(2025, 1, 1), dt.date(2025, 3, 1)
ACCOUNT = "6222021234567890123"


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_clerk_builds_sees_and_submits_his_streets_roll(client, clerk_user):
    GrantFactory(person=PersonFactory(bank_account=ACCOUNT), start_month=JAN)
    _login(client, clerk_user)

    response = client.post(reverse("payments:roll_build"), {"street": street().pk, "month": "2025-03"})
    roll = Roll.objects.get()
    page = client.get(response.url).content.decode()
    client.post(reverse("payments:roll_submit", args=[roll.pk]))

    assert response.url == reverse("payments:roll_detail", args=[roll.pk])
    assert "****0123" in page and ACCOUNT not in page
    assert "150.00" in page or "150" in page
    assert Roll.objects.get().state == RollState.SUBMITTED
    assert AccessLog.objects.filter(object_type="payment_roll", user=clerk_user).exists()


def test_clerk_cannot_build_or_open_another_streets_roll(client, clerk_user, other_clerk_user):
    other = Roll.objects.create(street=street("华侨路街道"), month=MAR)
    _login(client, clerk_user)

    build = client.post(reverse("payments:roll_build"), {"street": other.street_id, "month": "2025-03"})

    assert build.status_code == 404
    assert client.get(reverse("payments:roll_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("payments:roll_submit", args=[other.pk])).status_code == 404
    assert client.get(reverse("payments_api:roll-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("payments_api:line-list") + f"?roll={other.pk}").json()["results"] == []


def test_staff_approves_through_the_page_and_submitter_cannot(client, clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    _login(client, staff_user)
    client.post(reverse("payments:roll_build"), {"street": street().pk, "month": "2025-03"})
    roll = Roll.objects.get()
    client.post(reverse("payments:roll_submit", args=[roll.pk]))

    response = client.post(reverse("payments:roll_approve", args=[roll.pk]), follow=True)

    assert "审核人不能是提交人" in response.content.decode()
    assert Roll.objects.get().state == RollState.SUBMITTED
    _login(client, second_staff())
    client.post(reverse("payments:roll_approve", args=[roll.pk]))
    assert Roll.objects.get().state == RollState.APPROVED


def test_return_with_reason_through_the_page(client, clerk_user, staff_user):
    roll = Roll.objects.create(street=street(), month=MAR, state=RollState.SUBMITTED, submitted_by=clerk_user)
    _login(client, staff_user)

    client.post(reverse("payments:roll_return", args=[roll.pk]), {"reason": "人数不对"})

    roll.refresh_from_db()
    assert (roll.state, roll.returned_reason) == (RollState.DRAFT, "人数不对")


def test_bank_file_download_is_logged_and_marks_paid(client, clerk_user, staff_user):
    GrantFactory(person=PersonFactory(bank_account=ACCOUNT), start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    _login(client, staff_user)

    response = client.post(reverse("payments:roll_bank_file", args=[roll.pk]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Roll.objects.get().state == RollState.PAID
    assert AccessLog.objects.filter(object_type="payment_bank_file").count() == 1


def test_bank_file_streams_with_the_full_account_and_neutralised_names(client, clerk_user, staff_user):
    import io

    from openpyxl import load_workbook

    GrantFactory(person=PersonFactory(bank_account=ACCOUNT, name="=1+1"), start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    _login(client, staff_user)

    response = client.post(reverse("payments:roll_bank_file", args=[roll.pk]))

    assert response.streaming  # sent from a temporary file, not built in memory
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, line = list(workbook["发放明细"].values)
    assert header[4] == "银行账号" and line[4] == ACCOUNT and line[1] == "'=1+1"
    assert "attachment" in response["Content-Disposition"]


def test_return_file_page_shows_row_errors_and_writes_nothing(client, clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    _login(client, staff_user)
    data = return_file(["110101199001011234", "重度残疾人护理补贴", "2025-03", "x"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("payments:roll_return_file", args=[roll.pk]), {"file": SimpleUploadedFile("r.xlsx", data)}
    )

    assert "第2行“公民身份号码”列" in response.content.decode()
    assert not RollLine.objects.filter(failed=True).exists()


def test_standard_form_refuses_negative_and_duplicate_month(client, staff_user):
    _login(client, staff_user)
    url = reverse("payments:standard_create")

    negative = client.post(url, {"kind": "nursing", "monthly_amount": "-5", "effective_month": "2025-01"})
    client.post(
        url, {"kind": "nursing", "monthly_amount": "100", "effective_month": "2025-01", "note": "示例"}
    )
    duplicate = client.post(url, {"kind": "nursing", "monthly_amount": "120", "effective_month": "2025-01"})

    assert "月标准不能为负数" in negative.content.decode()
    assert "该项目在同一起始月份已有补贴标准" in duplicate.content.decode()
    assert Standard.objects.count() == 1


def test_standard_form_asks_for_a_month_where_it_cannot_read_one(client, staff_user):
    # (a browser without a month picker shows a text box: 2025年13月 can be typed)
    _login(client, staff_user)
    response = client.post(
        reverse("payments:standard_create"),
        {"kind": "nursing", "monthly_amount": "100", "effective_month": "2025年13月"},
    )
    assert response.context["form"].errors["effective_month"] == ["请输入月份，例如 2025-03"]
    assert not Standard.objects.exists()


def test_official_sees_totals_and_chart_data_but_no_lines_or_names(
    client, clerk_user, staff_user, official_user
):
    person = PersonFactory(name="王五")
    GrantFactory(person=person, start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    _login(client, official_user)

    page = client.get(reverse("payments:totals") + "?year=2025").content.decode()
    api = client.get(reverse("payments_api:totals") + "?year=2025").json()

    assert "王五" not in page and person.id_number not in page
    assert (
        'id="payments-chart-data"' in page and "<script>" not in page.split("payments-chart-data")[0][-200:]
    )
    assert api == [
        {
            "month": "2025-03",
            "street": "宁海路街道",
            "kind": "重度残疾人护理补贴",
            "lines": 1,
            "amount": "150.00",
        }
    ]
    assert client.get(reverse("payments:roll_detail", args=[roll.pk])).status_code == 404
    assert client.get(reverse("payments_api:line-list")).status_code == 403


def test_api_lines_are_masked(client, clerk_user, staff_user):
    person = PersonFactory(bank_account=ACCOUNT)
    GrantFactory(person=person, start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    _login(client, clerk_user)

    body = client.get(reverse("payments_api:line-list") + f"?roll={roll.pk}").json()

    line = body["results"][0]
    assert line["bank_account"] == "****0123" and line["id_number"] != person.id_number
    assert ACCOUNT not in json.dumps(body)
    assert AccessLog.objects.filter(user=clerk_user, object_type="payment_roll_line", row_count=1).exists()


def test_roll_page_queries_do_not_grow_with_lines(client, staff_user, django_assert_max_num_queries):
    for _ in range(30):
        GrantFactory(start_month=JAN)
    roll = Roll.objects.create(street=street(), month=MAR)
    from payments import services

    services.roll_build(acting_user=staff_user, street=street(), month=MAR)
    _login(client, staff_user)

    with django_assert_max_num_queries(20):
        assert client.get(reverse("payments:roll_detail", args=[roll.pk])).status_code == 200


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
        ("/payments/recoveries/?show=all", "/payments/recoveries/?show=all"),
    ],
)
def test_marking_a_recovery_follows_next_only_within_the_portal(client, staff_user, next_url, lands_on):
    from payments.models import Recovery

    roll = approved_roll(MAR, submitter=staff_user, approver=second_staff())
    recovery = Recovery.objects.create(
        roll=roll, person=PersonFactory(), kind="nursing", month=MAR, amount=100
    )
    response = _login(client, staff_user).post(
        reverse("payments:recovery_mark", args=[recovery.pk]),
        {"recovered_on": "2025-03-04", "recovered_amount": "100", "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == (lands_on or reverse("payments:recovery_list"))
