"""Admin: saves go through the services (history user), lists and choices are scoped, no deletes."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from employment.models import Employment, Training
from employment.tests.factories import EmploymentFactory, TrainingFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import admin_adds_a_record_of_a_new_person

pytestmark = pytest.mark.django_db


def test_admin_adds_a_training_through_the_service(client_for, admin_user):
    data = {"name": "盲人保健按摩培训班", "kind": "employment", "start_date": "2024-03-01"}
    admin_adds_a_record_of_a_new_person(client_for(admin_user), admin_user, Training, data)


def test_admin_changes_an_employment_and_history_keeps_the_user(client_for, admin_user):
    employment = EmploymentFactory()
    response = client_for(admin_user).post(
        reverse("admin:employment_employment_change", args=[employment.pk]),
        {"form": "quota", "employer": "南京银行", "start_date": "2022-03-01", "end_date": "2024-01-31"},
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.end_date.isoformat() == "2024-01-31"
    assert employment.history.latest().history_user == admin_user


def test_records_cannot_be_deleted_in_the_admin(client_for, admin_user):
    training = TrainingFactory()
    response = client_for(admin_user).get(reverse("admin:employment_training_delete", args=[training.pk]))
    assert response.status_code == 403


def test_admin_list_and_person_choices_are_scoped_by_street(clerk_user):
    own = EmploymentFactory()
    EmploymentFactory(person=PersonFactory(street=street("华侨路街道")))
    request = RequestFactory().get("/")
    request.user = clerk_user
    model_admin = site._registry[Employment]
    assert list(model_admin.get_queryset(request)) == [own]
    person_field = model_admin.formfield_for_foreignkey(Employment._meta.get_field("person"), request)
    assert list(person_field.queryset) == [own.person]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:employment_training_changelist",
        "admin:employment_training_import",
        "admin:employment_employment_export",
        "admin:care_homes_carehome_import",
        "admin:care_homes_placement_changelist",
        "admin:care_homes_auxproject_export",
    ],
)
def test_admin_offers_the_excel_templates_import_and_export(url_name, client_for, admin_user):
    TrainingFactory()
    response = client_for(admin_user).get(reverse(url_name))
    assert response.status_code == 200
