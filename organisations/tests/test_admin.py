"""Admin: saves through the services, scoped querysets and choices, no deletes."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from organisations.models import Activity, Organisation, VolunteerTeam
from organisations.tests.factories import ActivityFactory, OrganisationFactory, VolunteerTeamFactory
from registry.tests.factories import street
from tests.assertions import admin_adds_through_the_service

pytestmark = pytest.mark.django_db


def test_admin_adds_an_activity_through_the_service(client_for, admin_user):
    team = VolunteerTeamFactory(street=street("华侨路街道"))
    data = {
        "team": team.pk,
        "date": "2024-05-19",
        "title": "助残日活动",
        "participants": "9",
        "persons_served": "12",
    }
    activity = admin_adds_through_the_service(client_for(admin_user), admin_user, Activity, data)
    assert activity.street == team.street


def test_admin_refuses_an_activity_before_the_founding_on_the_form(client_for, admin_user):
    team = VolunteerTeamFactory()
    response = client_for(admin_user).post(
        reverse("admin:organisations_activity_add"),
        {"team": team.pk, "date": "2019-05-19", "title": "早", "participants": "1", "persons_served": "1"},
    )
    assert response.status_code == 200
    assert "活动日期早于该队伍的成立日期" in response.content.decode()
    assert not Activity.objects.exists()


def test_admin_querysets_follow_the_street(clerk_user):
    request = RequestFactory().get("/")
    request.user = clerk_user
    own = OrganisationFactory()
    OrganisationFactory(street=street("华侨路街道"))
    team = VolunteerTeamFactory()
    VolunteerTeamFactory(street=street("华侨路街道"))
    activity = ActivityFactory(organisation=own)
    ActivityFactory(organisation=OrganisationFactory(street=street("华侨路街道")))
    assert list(site._registry[Organisation].get_queryset(request)) == [own]
    assert list(site._registry[VolunteerTeam].get_queryset(request)) == [team]
    assert list(site._registry[Activity].get_queryset(request)) == [activity]
    field = site._registry[Activity].formfield_for_foreignkey(
        Activity._meta.get_field("organisation"), request
    )
    assert list(field.queryset) == [own]


def test_nothing_is_deleted_in_the_admin(client_for, admin_user):
    team = VolunteerTeamFactory()
    url = reverse("admin:organisations_volunteerteam_delete", args=[team.pk])
    assert client_for(admin_user).get(url).status_code == 403
