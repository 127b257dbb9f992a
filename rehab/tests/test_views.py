"""The service list and the person section: scoping, filters, inline forms, bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse

from registry.tests.factories import PersonFactory, street
from rehab.models import RehabKind, RehabService
from rehab.tests.factories import RehabServiceFactory
from tests.assertions import assert_redirects_to_the_person, list_own_street_only, names_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
HTMX = {"HTTP_HX_REQUEST": "true"}
OTHER = "华侨路街道"


def test_clerk_lists_services_of_his_street_only(client_for, clerk_user):
    own, response = list_own_street_only(
        client_for(clerk_user), reverse("rehab:service_list"), RehabServiceFactory
    )

    assert reverse("registry:person_detail", args=[own.person_id]) in response.content.decode()


def test_staff_filters_by_street_kind_and_year(client_for, staff_user):
    RehabServiceFactory(
        person__name="华侨路2023轮椅",
        person__street=street(OTHER),
        kind=RehabKind.ASSISTIVE_DEVICE,
        device_name="轮椅",
    )
    RehabServiceFactory(
        person__name="华侨路2024轮椅",
        person__street=street(OTHER),
        kind=RehabKind.ASSISTIVE_DEVICE,
        device_name="轮椅",
        service_date=dt.date(2024, 1, 1),
    )
    RehabServiceFactory(person__name="宁海路2023轮椅", kind=RehabKind.ASSISTIVE_DEVICE, device_name="轮椅")
    RehabServiceFactory(person__name="华侨路2023康复", person__street=street(OTHER))

    response = client_for(staff_user).get(
        reverse("rehab:service_list"), {"street": street(OTHER).pk, "kind": "device", "year": 2023}
    )

    assert names_in(response) == {"华侨路2023轮椅"}


def test_list_page_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(30):
        RehabServiceFactory(person__street=street(OTHER))
    client = client_for(staff_user)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("rehab:service_list"), {"year": 2023})
    assert len(response.context["page_obj"]) == 30


def test_htmx_create_returns_the_section_with_the_new_service(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        reverse("rehab:service_create", args=[person.pk]),
        {"kind": "device", "service_date": "2026-11-20", "device_name": "助听器", "amount": "3200"},
        **HTMX,
    )

    body = response.content.decode()
    assert 'id="rehab-section"' in body and "助听器" in body
    service = RehabService.objects.get(person=person)
    assert service.history.get().history_user == clerk_user


def test_device_without_name_is_shown_next_to_the_field(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        reverse("rehab:service_create", args=[person.pk]),
        {"kind": "device", "service_date": "2026-11-20"},
        **HTMX,
    )

    assert "辅助器具适配必须填写辅具名称" in response.content.decode()
    assert not RehabService.objects.exists()


def test_negative_amount_is_shown_under_the_amount(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        reverse("rehab:service_create", args=[person.pk]),
        {"kind": "basic", "service_date": "2026-11-20", "amount": "-5"},
        **HTMX,
    )

    assert response.context["form"].errors == {"amount": ["金额不能为负数"]}
    assert 'aria-invalid="true"' in str(response.context["form"]["amount"])
    assert not RehabService.objects.exists()


def test_plain_update_redirects_to_the_person(client_for, clerk_user):
    service = RehabServiceFactory()

    response = client_for(clerk_user).post(
        reverse("rehab:service_update", args=[service.pk]),
        {"kind": "home", "service_date": "2023-05-06", "provider": "居家康复站"},
    )

    assert_redirects_to_the_person(response, service.person_id)
    service.refresh_from_db()
    assert (service.kind, service.provider) == ("home", "居家康复站")


@pytest.mark.parametrize(
    ("name", "method", "by_person"),
    [
        ("rehab:person_section", "get", True),
        ("rehab:service_create", "post", True),
        ("rehab:service_update", "post", False),
    ],
)
def test_clerk_cannot_touch_a_person_of_another_street(client_for, clerk_user, name, method, by_person):
    service = RehabServiceFactory(person__street=street(OTHER))
    arg = service.person_id if by_person else service.pk

    response = getattr(client_for(clerk_user), method)(
        reverse(name, args=[arg]), {"kind": "basic", "service_date": "2026-01-05"}, **HTMX
    )

    assert response.status_code == 404
    assert RehabService.objects.count() == 1


def test_section_runs_a_bounded_number_of_queries(client_for, clerk_user, django_assert_max_num_queries):
    person = PersonFactory()
    for year in range(2016, 2026):
        RehabServiceFactory(person=person, service_date=dt.date(year, 3, 1))
    client = client_for(clerk_user)
    url = reverse("rehab:person_section", args=[person.pk])

    with django_assert_max_num_queries(11):  # +1: the access-log row
        response = client.get(url, **HTMX)
    assert response.content.decode().count('data-testid="service-row"') == 10
