"""The admin is scoped like every other door and writes through the services."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from registry.tests.factories import PersonFactory, street
from rehab.models import RehabService
from rehab.tests.factories import RehabServiceFactory

pytestmark = pytest.mark.django_db


def test_admin_queryset_is_scoped_to_the_users_street(clerk_user):
    own = RehabServiceFactory()
    RehabServiceFactory(person__street=street("华侨路街道"))
    request = RequestFactory().get("/")
    request.user = clerk_user

    assert list(site._registry[RehabService].get_queryset(request)) == [own]


def test_admin_add_goes_through_the_service_and_records_the_user(client_for, admin_user):
    person = PersonFactory()

    response = client_for(admin_user).post(
        reverse("admin:rehab_rehabservice_add"),
        {"person": person.pk, "kind": "device", "service_date": "2025-03-01", "device_name": "盲杖"},
    )

    assert response.status_code == 302
    assert RehabService.objects.get(person=person).history.get().history_user == admin_user
