"""/api/rehab/services/: scoped, validated by the services, no delete."""

import pytest
from django.urls import reverse

from registry.tests.factories import PersonFactory, street
from rehab.models import RehabService
from rehab.tests.factories import RehabServiceFactory
from tests.assertions import api_list_own_street_only

pytestmark = pytest.mark.django_db
OTHER = "华侨路街道"
LIST = reverse("rehab_api:service-list")


def test_clerk_lists_only_his_street(client_for, clerk_user):
    api_list_own_street_only(client_for(clerk_user), LIST, RehabServiceFactory)


def test_clerk_gets_404_for_another_streets_service(client_for, clerk_user):
    service = RehabServiceFactory(person__street=street(OTHER))

    assert (
        client_for(clerk_user).get(reverse("rehab_api:service-detail", args=[service.pk])).status_code == 404
    )


def test_official_is_refused(client_for, official_user):
    assert client_for(official_user).get(LIST).status_code == 403


def test_create_device_without_name_is_a_400_in_chinese(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        LIST, {"person": person.pk, "kind": "device", "service_date": "2025-04-02"}
    )

    assert response.status_code == 400
    assert response.json() == {"device_name": ["辅助器具适配必须填写辅具名称"]}


def test_create_records_the_user(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        LIST, {"person": person.pk, "kind": "device", "service_date": "2025-04-02", "device_name": "轮椅"}
    )

    assert response.status_code == 201
    assert RehabService.objects.get().history.get().history_user == clerk_user


def test_create_for_another_streets_person_is_refused(client_for, clerk_user):
    person = PersonFactory(street=street(OTHER))

    response = client_for(clerk_user).post(
        LIST, {"person": person.pk, "kind": "basic", "service_date": "2025-04-02"}
    )

    assert response.status_code == 400 and not RehabService.objects.exists()


def test_services_cannot_be_deleted(client_for, staff_user):
    service = RehabServiceFactory()

    assert (
        client_for(staff_user).delete(reverse("rehab_api:service-detail", args=[service.pk])).status_code
        == 405
    )
