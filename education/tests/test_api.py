"""/api/education/aids/ and /visits/: scoped, validated by the services, no delete."""

import pytest
from django.urls import reverse

from education.models import EducationAid, HomeTeachingVisit
from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import api_list_own_street_only

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
OTHER = "华侨路街道"
AIDS = reverse("education_api:aid-list")
VISITS = reverse("education_api:visit-list")


def test_clerk_lists_only_his_street(client_for, clerk_user):
    row = api_list_own_street_only(client_for(clerk_user), AIDS, EducationAidFactory)

    assert row["stage_display"] == "义务教育"


@pytest.mark.parametrize(
    ("factory", "name"), [(EducationAidFactory, "aid"), (HomeTeachingVisitFactory, "visit")]
)
def test_another_streets_record_is_404_on_read_and_write(client_for, clerk_user, factory, name):
    record = factory(person__street=street(OTHER))
    url = reverse(f"education_api:{name}-detail", args=[record.pk])
    client = client_for(clerk_user)

    assert client.get(url).status_code == 404
    assert client.patch(url, {"notes": "x"}, content_type="application/json").status_code == 404


def test_official_is_refused(client_for, official_user):
    assert client_for(official_user).get(AIDS).status_code == 403


def test_create_through_the_service_and_no_delete(client_for, clerk_user):
    person = PersonFactory()
    client = client_for(clerk_user)

    response = client.post(
        AIDS,
        {"person": person.pk, "stage": "preschool", "kind": "home_teaching", "aid_date": "2026-03-02"},
        content_type="application/json",
    )
    visit = client.post(
        VISITS,
        {"person": person.pk, "visit_date": "2026-03-02", "teacher": "张老师"},
        content_type="application/json",
    )

    assert response.status_code == 201 and visit.status_code == 201
    aid = EducationAid.objects.get()
    assert aid.amount is None and aid.history.get().history_user == clerk_user
    assert HomeTeachingVisit.objects.get().teacher == "张老师"
    assert client.delete(reverse("education_api:aid-detail", args=[aid.pk])).status_code == 405


def test_person_of_another_street_is_refused_on_create(client_for, clerk_user):
    person = PersonFactory(street=street(OTHER))

    response = client_for(clerk_user).post(
        VISITS,
        {"person": person.pk, "visit_date": "2026-03-02", "teacher": "张老师"},
        content_type="application/json",
    )

    assert response.status_code == 400 and not HomeTeachingVisit.objects.exists()
