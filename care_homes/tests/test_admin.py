"""Admin of the care homes: services behind the saves, scoped choices, no deletes."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import CareHomeFactory, PlacementFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import admin_adds_through_the_service

pytestmark = pytest.mark.django_db


def test_admin_adds_a_project_through_the_service(client_for, admin_user):
    home = CareHomeFactory()
    data = {"home": home.pk, "name": "电子元件组装", "start_date": "2024-05-01", "participants": "10"}
    admin_adds_through_the_service(client_for(admin_user), admin_user, AuxProject, data)


def test_admin_placement_before_the_home_opened_is_refused_on_the_form(client_for, admin_user):
    home = CareHomeFactory()
    response = client_for(admin_user).post(
        reverse("admin:care_homes_placement_add"),
        {"person": PersonFactory().pk, "home": home.pk, "mode": "day_care", "start_date": "2010-01-01"},
    )
    assert response.status_code == 200
    assert "开始日期早于该机构的启用日期" in response.content.decode()
    assert not Placement.objects.exists()


def test_homes_cannot_be_deleted_in_the_admin(client_for, admin_user):
    home = CareHomeFactory()
    assert (
        client_for(admin_user).get(reverse("admin:care_homes_carehome_delete", args=[home.pk])).status_code
        == 403
    )


def test_admin_querysets_and_choices_follow_the_scoping_rules(clerk_user):
    request = RequestFactory().get("/")
    request.user = clerk_user
    own_home = CareHomeFactory()
    other_home = CareHomeFactory(street=street("华侨路街道"))
    placement = PlacementFactory(home=other_home)  # the clerk's person in another street's home
    PlacementFactory(person=PersonFactory(street=street("华侨路街道")), home=own_home)

    assert list(site._registry[CareHome].get_queryset(request)) == [own_home]
    assert list(site._registry[Placement].get_queryset(request)) == [placement]
    home_field = site._registry[Placement].formfield_for_foreignkey(
        Placement._meta.get_field("home"), request
    )
    assert set(home_field.queryset) == {own_home, other_home}
    project_home_field = site._registry[AuxProject].formfield_for_foreignkey(
        AuxProject._meta.get_field("home"), request
    )
    assert list(project_home_field.queryset) == [own_home]
