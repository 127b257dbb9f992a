"""/api/cases/cases/: scoped, written through the services (create, update, close, actions)."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case
from cases.tests.factories import CaseFactory
from registry.models import AccessLog
from tests.assertions import api_creates

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]
LIST = reverse("cases_api:case-list")


def test_clerk_lists_only_his_street_and_the_read_is_logged(client_for, clerk_user, own_street, other_street):
    own = CaseFactory(street=own_street)
    CaseFactory(street=other_street)

    data = client_for(clerk_user).get(LIST).json()

    assert [row["id"] for row in data["results"]] == [own.pk]
    assert AccessLog.objects.filter(object_type="case", action=AccessLog.Action.LIST).exists()


def test_another_streets_case_is_404_on_every_api_door(client_for, clerk_user, other_street):
    case = CaseFactory(street=other_street)
    client = client_for(clerk_user)

    assert client.get(reverse("cases_api:case-detail", args=[case.pk])).status_code == 404
    assert (
        client.patch(
            reverse("cases_api:case-detail", args=[case.pk]),
            {"subject": "改"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("cases_api:case-close", args=[case.pk]), {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("cases_api:case-actions", args=[case.pk]), {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_official_is_refused(client_for, official_user):
    assert client_for(official_user).get(LIST).status_code == 403


def test_create_computes_the_deadline_and_records_the_user(client_for, clerk_user):
    body = api_creates(
        client_for(clerk_user),
        LIST,
        {
            "source": "12385",
            "received_on": "2025-06-20",
            "petitioner": "爱心志愿者协会",
            "street": "宁海路街道",
            "subject": "反映盲道被占",
            "category": "accessibility",
        },
    )

    assert body["deadline"] == "2025-07-01" and body["deadline_from_rule"] and body["status"] == "open"  # + 7
    assert Case.objects.get().history.get().history_user == clerk_user


def test_close_and_actions_through_the_api(client_for, clerk_user, own_street):
    case = CaseFactory(street=own_street, received_on=dt.date(2025, 6, 23), deadline=dt.date(2025, 6, 30))
    client = client_for(clerk_user)

    added = client.post(
        reverse("cases_api:case-actions", args=[case.pk]),
        {"done_on": "2025-06-24", "note": "电话核实"},
        content_type="application/json",
    )
    closed = client.post(
        reverse("cases_api:case-close", args=[case.pk]),
        {"reply": "已答复", "outcome": "explained", "closed_on": "2025-06-30"},
        content_type="application/json",
    )
    listed = client.get(reverse("cases_api:case-actions", args=[case.pk])).json()

    assert added.status_code == 201 and added.json()["by"] == "clerk"
    assert (
        closed.status_code == 200
        and closed.json()["closed_on_time"] is True
        and closed.json()["status"] == "closed"
    )
    assert [row["note"] for row in listed] == ["电话核实"]


def test_a_clerk_may_not_move_a_case_to_another_street(client_for, clerk_user, own_street):
    case = CaseFactory(street=own_street)

    response = client_for(clerk_user).patch(
        reverse("cases_api:case-detail", args=[case.pk]),
        {"street": "华侨路街道"},
        content_type="application/json",
    )

    assert response.status_code == 400 and response.json() == {"street": ["无权操作其他街道的记录"]}


def test_reading_a_case_through_its_close_and_actions_routes_is_logged(
    client_for, clerk_user, own_street, person
):
    # the GET of a detail route (the case with its person, its dated actions) is a read like the detail
    case = CaseFactory(street=own_street, person=person)
    client = client_for(clerk_user)

    for route in ("cases_api:case-close", "cases_api:case-actions"):
        AccessLog.objects.all().delete()
        assert client.get(reverse(route, args=[case.pk])).status_code == 200

        logged = AccessLog.objects.get()
        assert (logged.action, logged.object_type, logged.object_id, logged.person_id) == (
            AccessLog.Action.VIEW,
            "case",
            case.pk,
            person.pk,
        )
