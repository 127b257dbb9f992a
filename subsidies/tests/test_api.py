"""/api/subsidies/grants/: scoped, validated by the services, no delete."""

import datetime as dt

import pytest
from django.urls import reverse

from registry.tests.factories import PersonFactory, street
from subsidies.models import Grant
from subsidies.tests.factories import GrantFactory
from tests.assertions import api_list_own_street_only

pytestmark = pytest.mark.django_db
OTHER = "华侨路街道"
LIST = reverse("subsidies_api:grant-list")


def detail(grant):
    return reverse("subsidies_api:grant-detail", args=[grant.pk])


def test_clerk_lists_his_streets_grants_with_masked_id_numbers(client_for, clerk_user):
    row = api_list_own_street_only(client_for(clerk_user), LIST, GrantFactory)

    assert row["kind_display"] == "重度残疾人护理补贴" and row["start_month"] == "2021-01-01"


def test_list_filters_like_the_page(client_for, staff_user):
    GrantFactory(start_month=dt.date(2020, 1, 1), end_month=dt.date(2022, 1, 1))
    current = GrantFactory(start_month=dt.date(2023, 1, 1))

    data = client_for(staff_user).get(LIST, {"year": 2023}).json()

    assert [row["id"] for row in data["results"]] == [current.pk]


def test_clerk_gets_404_for_another_streets_grant(client_for, clerk_user):
    grant = GrantFactory(person__street=street(OTHER))

    assert client_for(clerk_user).get(detail(grant)).status_code == 404
    assert (
        client_for(clerk_user)
        .patch(detail(grant), {"monthly_amount": "1"}, content_type="application/json")
        .status_code
        == 404
    )


def test_official_is_refused(client_for, official_user):
    assert client_for(official_user).get(LIST).status_code == 403


def test_create_takes_a_month_and_records_the_user(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        LIST, {"person": person.pk, "kind": "living", "start_month": "2025-03", "monthly_amount": "250.00"}
    )

    assert response.status_code == 201, response.json()
    grant = Grant.objects.get(pk=response.json()["id"])
    assert grant.start_month == dt.date(2025, 3, 1)
    assert grant.history.get().history_user == clerk_user


def test_create_for_another_streets_person_is_a_400_that_does_not_reveal_it(client_for, clerk_user):
    person = PersonFactory(street=street(OTHER))

    response = client_for(clerk_user).post(
        LIST, {"person": person.pk, "kind": "living", "start_month": "2025-03"}
    )

    assert response.status_code == 400
    assert response.json()["person"] == [f"持证残疾人（ID {person.pk}）不存在"]
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"start_month": "2025-03", "end_month": "2025-02"}, {"end_month": ["结束月份不能早于开始月份"]}),
        ({"start_month": "2025-03-01", "monthly_amount": "-5"}, {"monthly_amount": ["金额不能为负数"]}),
    ],
    ids=["end_before_start", "negative_amount"],
)
def test_a_refused_grant_is_a_400_with_the_chinese_message_under_its_field(
    client_for, clerk_user, fields, errors
):
    person = PersonFactory()

    response = client_for(clerk_user).post(LIST, {"person": person.pk, "kind": "dibao", **fields})

    assert response.status_code == 400
    assert response.json() == errors
    assert not Grant.objects.exists()


def test_duplicate_is_a_400_with_the_chinese_message(client_for, clerk_user):
    grant = GrantFactory(start_month=dt.date(2025, 3, 1))

    response = client_for(clerk_user).post(
        LIST, {"person": grant.person_id, "kind": grant.kind, "start_month": "2025-03-01"}
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该人员已有同一项目、同一开始月份的补贴记录"]}


def test_patch_ends_a_grant_through_the_service(client_for, clerk_user):
    grant = GrantFactory()

    response = client_for(clerk_user).patch(
        detail(grant), {"end_month": "2026-06"}, content_type="application/json"
    )

    assert response.status_code == 200
    grant.refresh_from_db()
    assert grant.end_month == dt.date(2026, 6, 1) and grant.history.latest().history_user == clerk_user


def test_person_of_a_grant_cannot_be_changed(client_for, clerk_user):
    grant = GrantFactory()
    other = PersonFactory()

    response = client_for(clerk_user).patch(
        detail(grant), {"person": other.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["person"] == ["不能更改补贴记录所属的人员，请为该人员新建记录"]


def test_grants_cannot_be_deleted(client_for, staff_user):
    grant = GrantFactory()

    assert client_for(staff_user).delete(detail(grant)).status_code == 405
    assert Grant.objects.filter(pk=grant.pk).exists()


def test_api_list_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(20):
        GrantFactory()
    client = client_for(staff_user)

    with django_assert_max_num_queries(10):
        data = client.get(LIST).json()
    assert data["count"] == 20
