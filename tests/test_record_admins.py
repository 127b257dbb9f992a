"""The admin of a person's records is scoped like every other door and writes through the services."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from registry.tests.factories import PersonFactory, street
from rehab.tests.factories import RehabServiceFactory
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db

RECORD_ADMINS = [
    pytest.param(
        RehabServiceFactory,
        "admin:rehab_rehabservice_add",
        {"kind": "device", "service_date": "2025-03-01", "device_name": "盲杖"},
        {"service_date": dt.date(2025, 3, 1), "device_name": "盲杖"},
        id="rehab",
    ),
    pytest.param(
        GrantFactory,
        "admin:subsidies_grant_add",
        {"kind": "nursing", "start_month": "2025-03-01", "monthly_amount": "150"},
        {"start_month": dt.date(2025, 3, 1)},
        id="subsidies",
    ),
]


@pytest.mark.parametrize("factory, add_url, data, saved", RECORD_ADMINS)
def test_admin_queryset_is_scoped_to_the_users_street(factory, add_url, data, saved, clerk_user):
    own = factory()
    factory(person__street=street("华侨路街道"))
    request = RequestFactory().get("/")
    request.user = clerk_user

    assert list(site._registry[factory._meta.model].get_queryset(request)) == [own]


@pytest.mark.parametrize("factory, add_url, data, saved", RECORD_ADMINS)
def test_admin_add_goes_through_the_service_and_records_the_user(
    factory, add_url, data, saved, client_for, admin_user
):
    person = PersonFactory()

    response = client_for(admin_user).post(reverse(add_url), {"person": person.pk, **data})

    assert response.status_code == 302
    record = factory._meta.model.objects.get(person=person)
    assert {name: getattr(record, name) for name in saved} == saved
    assert record.history.get().history_user == admin_user
