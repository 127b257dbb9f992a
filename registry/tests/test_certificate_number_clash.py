"""A certificate number already registered: one clear message, "该残疾人证号已登记", on every door
(form, API, import, admin) when it was typed; never a second error when the number was derived
from an ID number that is itself the duplicate."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.idnumbers import certificate_number_for, make_id_number
from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook
from registry.models import CERTIFICATE_NUMBER_TAKEN_MESSAGE, Person
from registry.tests.factories import PersonFactory, person_form_data, street

pytestmark = pytest.mark.django_db

SEEN = "该公民身份号码已登记：登记人（宁海路街道）"
DJANGO_DEFAULT = "已存在"  # Django's "具有 残疾人证号 的 持证残疾人 已存在。"

ADMIN_INLINES = {
    "surveys-TOTAL_FORMS": "0",
    "surveys-INITIAL_FORMS": "0",
    "surveys-MIN_NUM_FORMS": "0",
    "surveys-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def registered():
    return PersonFactory(street=street("宁海路街道"), name="登记人")


@pytest.fixture
def new_data():
    return person_form_data()


@pytest.fixture
def holder(new_data):
    """Another person (another ID number) whose stored certificate number is the one the new
    person's ID number, category and grade give (a record kept from before the check)."""
    number = certificate_number_for(new_data["id_number"], new_data["category"], new_data["grade"])
    return PersonFactory(street=street("宁海路街道"), name="持证人", certificate_number=number)


class TestForm:
    def test_duplicate_id_number_with_an_empty_certificate_number_is_one_error(
        self, client_for, clerk_user, registered
    ):
        data = person_form_data(
            id_number=registered.id_number, category=registered.category, grade=registered.grade
        )

        response = client_for(clerk_user).post(reverse("registry:person_create"), data)

        form = response.context["form"]
        assert dict(form.errors) == {"id_number": [SEEN]}
        assert DJANGO_DEFAULT not in response.content.decode()
        assert Person.objects.count() == 1

    def test_duplicate_id_number_with_its_typed_certificate_number_is_one_error(
        self, client_for, clerk_user, registered
    ):
        # as the API's service reports it: the duplicate ID number, not its certificate number again
        data = person_form_data(
            id_number=registered.id_number,
            category=registered.category,
            grade=registered.grade,
            certificate_number=registered.certificate_number,
        )

        response = client_for(clerk_user).post(reverse("registry:person_create"), data)

        assert dict(response.context["form"].errors) == {"id_number": [SEEN]}
        assert Person.objects.count() == 1

    def test_a_typed_certificate_number_held_by_another_person_is_named(
        self, client_for, clerk_user, new_data, holder
    ):
        data = {**new_data, "certificate_number": holder.certificate_number}

        response = client_for(clerk_user).post(reverse("registry:person_create"), data)

        form = response.context["form"]
        assert dict(form.errors) == {"certificate_number": [CERTIFICATE_NUMBER_TAKEN_MESSAGE]}
        assert DJANGO_DEFAULT not in response.content.decode()
        assert Person.objects.count() == 1


def test_api_names_a_typed_certificate_number_held_by_another_person(clerk_user, new_data, holder):
    client = APIClient()
    client.force_authenticate(clerk_user)
    body = {
        **{k: new_data[k] for k in ("name", "id_number", "category", "grade", "issued_on")},
        "certificate_number": holder.certificate_number,
        "street": "宁海路街道",
    }

    response = client.post("/api/registry/persons/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"certificate_number": [CERTIFICATE_NUMBER_TAKEN_MESSAGE]}
    assert Person.objects.count() == 1


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "derived"])
def test_import_names_a_certificate_number_held_by_another_person(clerk_user, new_data, holder, typed):
    row = person_row(
        公民身份号码=new_data["id_number"],
        残疾人证号=holder.certificate_number if typed else "",
        残疾类别="肢体",
        残疾等级="三级",
    )

    report = run_import("persons", persons_workbook(row), user=clerk_user)

    messages = [(e["column"], e["message"].split("（填写的是")[0]) for e in report.errors]
    assert messages == [("残疾人证号", CERTIFICATE_NUMBER_TAKEN_MESSAGE)]
    assert Person.objects.count() == 1


@pytest.mark.parametrize("chunk_size", [2000, 1], ids=["one chunk", "a chunk each"])
def test_import_names_the_row_that_repeats_another_persons_certificate_number(clerk_user, chunk_size):
    # given two new persons of one file, the second typing the number the first one's row derives
    first = person_row(残疾类别="肢体", 残疾等级="三级")
    number = certificate_number_for(first["公民身份号码"], "4", "3")
    second = person_row(残疾人证号=number, 残疾类别="肢体", 残疾等级="三级")

    # when the file is imported, its rows in one chunk or in two
    report = run_import("persons", persons_workbook(first, second), user=clerk_user, chunk_size=chunk_size)

    # then the second row (row 3, under the header) is named, and nothing is written
    messages = [(e["row"], e["column"], e["message"].split("（填写的是")[0]) for e in report.errors]
    assert messages == [(3, "残疾人证号", "与第2行重复（残疾人证号相同）")]
    assert not Person.objects.exists()


def test_import_updates_a_person_under_his_own_certificate_number(clerk_user, registered):
    row = person_row(
        公民身份号码=registered.id_number,
        姓名="登记人",
        残疾人证号=registered.certificate_number,
        残疾类别="肢体",
        残疾等级="二级",
        居住地址="新地址",
    )

    report = run_import("persons", persons_workbook(row), user=clerk_user)

    assert report.errors == []
    registered.refresh_from_db()
    assert registered.address == "新地址"


class TestAdmin:
    def test_duplicate_id_number_with_an_empty_certificate_number_is_one_error(
        self, client_for, admin_user, registered
    ):
        data = {
            **person_form_data(
                id_number=registered.id_number,
                category=registered.category,
                grade=registered.grade,
                street=registered.street_id,
            ),
            **ADMIN_INLINES,
        }

        response = client_for(admin_user).post(reverse("admin:registry_person_add"), data)

        assert response.status_code == 200
        assert dict(response.context["adminform"].form.errors) == {"id_number": [SEEN]}
        assert DJANGO_DEFAULT not in response.content.decode()
        assert Person.objects.count() == 1

    def test_duplicate_id_number_typed_with_a_lower_case_x_and_another_grade_is_refused(
        self, client_for, admin_user
    ):
        # the admin's form keeps the typed text: the check reads the number as the model normalised it
        id_number = next(
            number
            for sequence in range(1, 100)
            if (number := make_id_number("320106", dt.date(1980, 5, 6), sequence)).endswith("X")
        )
        registered = PersonFactory(
            street=street("宁海路街道"), name="登记人", id_number=id_number, category="4", grade="2"
        )
        data = {
            **person_form_data(
                id_number=id_number[:17] + "x", category="4", grade="3", street=registered.street_id
            ),
            **ADMIN_INLINES,
        }

        response = client_for(admin_user).post(reverse("admin:registry_person_add"), data)

        assert response.status_code == 200
        assert dict(response.context["adminform"].form.errors) == {"id_number": [SEEN]}
        assert Person.objects.count() == 1

    def test_a_typed_certificate_number_held_by_another_person_is_named(
        self, client_for, admin_user, new_data, holder
    ):
        data = {
            **new_data,
            "certificate_number": holder.certificate_number,
            "street": holder.street_id,
            **ADMIN_INLINES,
        }

        response = client_for(admin_user).post(reverse("admin:registry_person_add"), data)

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert dict(errors) == {"certificate_number": [CERTIFICATE_NUMBER_TAKEN_MESSAGE]}
        assert Person.objects.count() == 1
