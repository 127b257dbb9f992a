"""REST API of the care homes: each object scoped its own way, writes through the services."""

import datetime as dt

import pytest
from django.urls import reverse

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from registry.tests.factories import PersonFactory, street

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_clerk_lists_his_streets_homes(client_for, clerk_user):
    own = CareHomeFactory()
    CareHomeFactory(street=street("华侨路街道"))
    data = client_for(clerk_user).get(reverse("care_homes_api:homes-list")).json()
    assert [row["id"] for row in data["results"]] == [own.pk]


def test_clerk_cannot_create_a_home_in_another_street(client_for, clerk_user):
    response = client_for(clerk_user).post(
        reverse("care_homes_api:homes-list"),
        {
            "name": "华侨路街道残疾人之家",
            "level": "street",
            "street": street("华侨路街道").pk,
            "opened_on": "2020-01-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "street" in response.json()
    assert not CareHome.objects.exists()


def test_closing_a_home_through_the_api_ends_its_placements(client_for, staff_user):
    home = CareHomeFactory()
    placement = PlacementFactory(home=home, start_date=dt.date(2021, 1, 1))
    response = client_for(staff_user).patch(
        reverse("care_homes_api:homes-detail", args=[home.pk]), {"closed_on": "2024-01-01"}, content_type=JSON
    )
    assert response.status_code == 200
    placement.refresh_from_db()
    assert placement.end_date == dt.date(2023, 12, 31)


def test_clerk_places_his_person_in_another_streets_home(client_for, clerk_user):
    home = CareHomeFactory(street=street("江东街道"), level="district", is_disabled_home=False)
    response = client_for(clerk_user).post(
        reverse("care_homes_api:placements-list"),
        {"person": PersonFactory().pk, "home": home.pk, "mode": "residential", "start_date": "2024-01-02"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    assert Placement.objects.get().history.get().history_user == clerk_user


def test_placement_of_another_streets_person_answers_404_to_the_clerk(client_for, clerk_user):
    placement = PlacementFactory(person=PersonFactory(street=street("华侨路街道")), home=CareHomeFactory())
    url = reverse("care_homes_api:placements-detail", args=[placement.pk])
    client = client_for(clerk_user)
    assert client.get(url).status_code == 404
    assert client.patch(url, {"end_date": "2024-01-01"}, content_type=JSON).status_code == 404


def test_placement_in_a_closed_home_answers_400_in_chinese(client_for, clerk_user):
    home = CareHomeFactory(closed_on=dt.date(2022, 6, 30))
    response = client_for(clerk_user).post(
        reverse("care_homes_api:placements-list"),
        {"person": PersonFactory().pk, "home": home.pk, "mode": "day_care", "start_date": "2023-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json() == {"start_date": ["该机构已于2022-06-30停用，不能在此后开始"]}


def test_clerk_cannot_add_a_project_to_another_streets_home(client_for, clerk_user):
    home = CareHomeFactory(street=street("华侨路街道"))
    response = client_for(clerk_user).post(
        reverse("care_homes_api:projects-list"),
        {"home": home.pk, "name": "爱心烘焙坊", "start_date": "2024-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert not AuxProject.objects.exists()


def test_project_update_keeps_its_home(client_for, clerk_user):
    project = AuxProjectFactory()
    response = client_for(clerk_user).patch(
        reverse("care_homes_api:projects-detail", args=[project.pk]),
        {"participants": 20, "home": CareHomeFactory().pk},
        content_type=JSON,
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.participants == 20
    assert response.json()["home"] == project.home_id


def test_official_is_refused_and_nothing_can_be_deleted(client_for, official_user, staff_user):
    home = CareHomeFactory()
    assert client_for(official_user).get(reverse("care_homes_api:homes-list")).status_code == 403
    assert (
        client_for(staff_user).delete(reverse("care_homes_api:homes-detail", args=[home.pk])).status_code
        == 405
    )
