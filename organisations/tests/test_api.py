"""API: scoped lists, writes through the services, the owner's street on an activity."""

import datetime as dt

import pytest
from django.urls import reverse

from organisations.models import Activity, VolunteerTeam
from organisations.tests.factories import ActivityFactory, OrganisationFactory, VolunteerTeamFactory
from registry.models import AccessLog
from registry.tests.factories import street

pytestmark = pytest.mark.django_db


def test_clerk_lists_his_streets_records_without_access_log(client_for, clerk_user):
    own = OrganisationFactory(name="本街道组织")
    OrganisationFactory(name="外街道组织", street=street("华侨路街道"))
    ActivityFactory(organisation=own)
    ActivityFactory(organisation=OrganisationFactory(street=street("华侨路街道")))
    client = client_for(clerk_user)
    names = [r["name"] for r in client.get(reverse("organisations_api:organisations-list")).json()["results"]]
    assert names == ["本街道组织"]
    activities = client.get(reverse("organisations_api:activities-list")).json()["results"]
    assert [a["organisation"] for a in activities] == [own.pk]
    assert not AccessLog.objects.exists()  # no person data


def test_api_creates_a_team_and_an_activity_through_the_services(client_for, clerk_user):
    client = client_for(clerk_user)
    response = client.post(
        reverse("organisations_api:teams-list"),
        {"name": "宁海路巾帼助残志愿队", "street": street().pk, "members": 18, "founded_on": "2024-03-08"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    team = VolunteerTeam.objects.get()
    response = client.post(
        reverse("organisations_api:activities-list"),
        {
            "team": team.pk,
            "date": "2024-05-19",
            "title": "助残日活动",
            "participants": 20,
            "persons_served": 31,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["street"] == "宁海路街道"
    assert Activity.objects.get().history.get().history_user == clerk_user


def test_clerk_cannot_write_another_streets_team(client_for, clerk_user):
    client = client_for(clerk_user)
    response = client.post(
        reverse("organisations_api:teams-list"),
        {"name": "外街道队", "street": street("华侨路街道").pk, "founded_on": "2024-03-08"},
        content_type="application/json",
    )
    assert response.status_code == 400 and not VolunteerTeam.objects.exists()
    other = VolunteerTeamFactory(street=street("华侨路街道"))
    response = client.patch(
        reverse("organisations_api:teams-detail", args=[other.pk]),
        {"members": 1},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_an_activity_stays_with_its_owner(client_for, staff_user):
    activity = ActivityFactory(date=dt.date(2024, 5, 18))
    response = client_for(staff_user).patch(
        reverse("organisations_api:activities-detail", args=[activity.pk]),
        {"team": VolunteerTeamFactory().pk, "persons_served": 50},
        content_type="application/json",
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.team, activity.persons_served) == (None, 50)
