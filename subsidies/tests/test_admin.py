"""The admin is scoped like every other door and writes through the services."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from registry.tests.factories import PersonFactory, street
from subsidies.models import Grant
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


def test_admin_queryset_is_scoped_to_the_users_street(clerk_user):
    own = GrantFactory()
    GrantFactory(person__street=street("华侨路街道"))
    request = RequestFactory().get("/")
    request.user = clerk_user

    assert list(site._registry[Grant].get_queryset(request)) == [own]


def test_admin_add_goes_through_the_service_and_records_the_user(client_for, admin_user):
    person = PersonFactory()

    response = client_for(admin_user).post(
        reverse("admin:subsidies_grant_add"),
        {"person": person.pk, "kind": "nursing", "start_month": "2025-03-01", "monthly_amount": "150"},
    )

    assert response.status_code == 302
    grant = Grant.objects.get(person=person)
    assert grant.start_month == dt.date(2025, 3, 1)
    assert grant.history.get().history_user == admin_user


def test_admin_cannot_delete_grants(client_for, admin_user):
    grant = GrantFactory()

    response = client_for(admin_user).get(reverse("admin:subsidies_grant_delete", args=[grant.pk]))

    assert response.status_code == 403
