"""REST API: scoped, masked, validated by the services (400 in Chinese), no deletes."""

import datetime as dt

import pytest
from django.urls import reverse

from employment.models import Employment, Training
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory, training_data
from registry.tests.factories import PersonFactory, street
from tests.assertions import api_list_own_street_only

pytestmark = pytest.mark.django_db


def other_street_person():
    return PersonFactory(street=street("华侨路街道"))


def test_clerk_lists_only_his_streets_trainings_with_masked_id_numbers(client_for, clerk_user):
    api_list_own_street_only(
        client_for(clerk_user), reverse("employment_api:trainings-list"), TrainingFactory
    )


def test_clerk_gets_404_for_another_streets_record(client_for, clerk_user):
    employment = EmploymentFactory(person=other_street_person())
    response = client_for(clerk_user).get(reverse("employment_api:employments-detail", args=[employment.pk]))
    assert response.status_code == 404


def test_official_is_refused(client_for, official_user):
    assert client_for(official_user).get(reverse("employment_api:graduates-list")).status_code == 403


def test_create_goes_through_the_service_and_records_history(client_for, clerk_user):
    person = PersonFactory()
    response = client_for(clerk_user).post(
        reverse("employment_api:employments-list"),
        {"person": person.pk, "form": "flexible", "start_date": "2024-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    employment = Employment.objects.get(pk=response.json()["id"])
    assert employment.history.get().history_user == clerk_user


def test_invalid_dates_answer_400_with_the_chinese_message(client_for, clerk_user):
    response = client_for(clerk_user).post(
        reverse("employment_api:trainings-list"),
        {"person": PersonFactory().pk, **training_data(start_date="2024-05-01", end_date="2024-04-01")},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"end_date": ["结束日期不能早于开始日期"]}
    assert not Training.objects.exists()


def test_duplicate_answers_400_with_the_models_message(client_for, staff_user):
    graduate = GraduateFactory()
    response = client_for(staff_user).post(
        reverse("employment_api:graduates-list"),
        {"person": graduate.person_id, "graduation_year": graduate.graduation_year},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该人员已有同一毕业年份的毕业生记录"]}


def test_clerk_cannot_create_a_record_for_another_streets_person(client_for, clerk_user):
    response = client_for(clerk_user).post(
        reverse("employment_api:employments-list"),
        {"person": other_street_person().pk, "form": "flexible", "start_date": "2024-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "person" in response.json()
    assert not Employment.objects.exists()


def test_update_ends_an_employment_and_refuses_another_person(client_for, clerk_user):
    # One write path for every record API (issue 10): a change of person is refused with a message,
    # as for grants and rehab services, instead of being silently ignored.
    employment = EmploymentFactory(start_date=dt.date(2022, 3, 1))
    url = reverse("employment_api:employments-detail", args=[employment.pk])
    client = client_for(clerk_user)
    response = client.patch(
        url, {"end_date": "2024-06-30", "person": PersonFactory().pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["person"] == ["不能更改就业登记所属的人员，请为该人员新建记录"]
    response = client.patch(url, {"end_date": "2024-06-30"}, content_type="application/json")
    assert response.status_code == 200
    employment.refresh_from_db()
    assert employment.end_date == dt.date(2024, 6, 30)
    assert response.json()["person"] == employment.person_id


def test_records_cannot_be_deleted(client_for, staff_user):
    training = TrainingFactory()
    response = client_for(staff_user).delete(reverse("employment_api:trainings-detail", args=[training.pk]))
    assert response.status_code == 405
    assert Training.objects.filter(pk=training.pk).exists()


def test_graduates_report_employment_on_31_december_and_filter_by_year(client_for, staff_user):
    employed = GraduateFactory(graduation_year=2023)
    EmploymentFactory(person=employed.person, start_date=dt.date(2023, 8, 1))
    GraduateFactory(graduation_year=2022)
    data = client_for(staff_user).get(reverse("employment_api:graduates-list"), {"year": "2023"}).json()
    assert [(row["id"], row["employed"]) for row in data["results"]] == [(employed.pk, True)]
