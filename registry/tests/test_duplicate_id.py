"""issue 14 §5: a duplicate ID number gets one message on every door (form, API, import), naming the
registered person for a user who may see him and only "已在其他街道登记" for a clerk who may not."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.idnumbers import make_id_number
from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook
from registry.models import Person
from registry.tests.factories import PersonFactory, person_form_data, street

pytestmark = pytest.mark.django_db

SEEN = "该公民身份号码已登记：登记人（宁海路街道）"
ELSEWHERE = "该公民身份号码已在其他街道登记"


def _form_post(id_number, **overrides):
    return person_form_data(id_number=id_number, **overrides)


def _api_post(user, id_number):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        "/api/registry/persons/",
        {
            "name": "王五",
            "id_number": id_number,
            "category": "2",
            "grade": "4",
            "issued_on": "2019-09-09",
            "street": "宁海路街道",
        },
        format="json",
    )


@pytest.fixture
def own_person():
    return PersonFactory(street=street("宁海路街道"), name="登记人")


@pytest.fixture
def other_person():
    return PersonFactory(street=street("华侨路街道"), name="外街道人员")


def test_form_names_the_registered_person_with_a_link(client_for, clerk_user, own_person):
    response = client_for(clerk_user).post(
        reverse("registry:person_create"), _form_post(own_person.id_number)
    )

    assert response.context["form"].errors["id_number"] == [SEEN]
    html = response.content.decode()
    assert SEEN in html
    assert reverse("registry:person_detail", args=[own_person.pk]) in html
    assert "已存在" not in html
    assert Person.objects.count() == 1


def test_form_tells_a_clerk_only_that_another_street_registered_it(client_for, clerk_user, other_person):
    response = client_for(clerk_user).post(
        reverse("registry:person_create"), _form_post(other_person.id_number)
    )

    assert response.context["form"].errors["id_number"] == [ELSEWHERE]
    assert "外街道人员" not in response.content.decode()


def test_staff_form_names_a_person_of_any_street(client_for, staff_user, other_person):
    response = client_for(staff_user).post(
        reverse("registry:person_create"), _form_post(other_person.id_number, street=other_person.street_id)
    )

    assert response.context["form"].errors["id_number"] == ["该公民身份号码已登记：外街道人员（华侨路街道）"]


def test_api_gives_the_same_messages(clerk_user, own_person, other_person):
    assert _api_post(clerk_user, own_person.id_number).json()["id_number"] == [SEEN]
    assert _api_post(clerk_user, other_person.id_number).json()["id_number"] == [ELSEWHERE]


def test_import_gives_the_same_message_for_another_streets_person(clerk_user, other_person):
    row = person_row(公民身份号码=other_person.id_number, 姓名="王五", 所属街道="宁海路街道")

    report = run_import("persons", persons_workbook(row), user=clerk_user)

    assert [(e["column"], e["message"]) for e in report.errors] == [("公民身份号码", ELSEWHERE)]


def test_editing_a_person_keeps_his_own_id_number_without_a_duplicate_error(
    client_for, clerk_user, own_person
):
    response = client_for(clerk_user).post(
        reverse("registry:person_update", args=[own_person.pk]),
        _form_post(own_person.id_number, name="新名字", category=own_person.category, grade=own_person.grade),
    )

    assert response.status_code == 302


def test_clerk_street_is_shown_without_a_blank_choice(client_for, clerk_user):
    form = client_for(clerk_user).get(reverse("registry:person_create")).context["form"]

    choices = [label for _, label in form.fields["street"].choices]
    assert choices == ["宁海路街道"]
    assert form.fields["street"].disabled


def test_a_new_id_number_is_no_duplicate(client_for, clerk_user):
    new = make_id_number("320106", dt.date(1990, 7, 8), 77)

    response = client_for(clerk_user).post(reverse("registry:person_create"), _form_post(new))

    assert response.status_code == 302
