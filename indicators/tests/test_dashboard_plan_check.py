"""The dashboard's 规划检查 panel (organisations and volunteer teams per street, demonstration
organisations): live, two queries whatever the number of records, shown to every role, not a K card."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from organisations.tests.factories import ActivityFactory, OrganisationFactory, VolunteerTeamFactory
from registry.tests.factories import street

pytestmark = pytest.mark.django_db


def _row(response, name):
    return next(row for row in response.context["plan_check"].streets if row.street.name == name)


@freeze_time("2025-06-01")
def test_a_street_turns_green_when_its_team_is_registered(client_for, role_users):
    OrganisationFactory(street=street("宁海路街道"), registered_on=dt.date(2025, 1, 5), is_demonstration=True)
    client = client_for(role_users["official"])
    response = client.get(reverse("indicators:dashboard"))
    page = response.content.decode()
    assert "规划检查" in page and 'data-street="宁海路街道" data-ok="no"' in page
    assert not _row(response, "宁海路街道").ok
    assert response.context["plan_check"].demonstration == 1
    assert "K13" not in page and all(card["code"] != "规划检查" for card in response.context.get("cards", []))

    VolunteerTeamFactory(street=street("宁海路街道"), founded_on=dt.date(2025, 5, 30))

    response = client.get(reverse("indicators:dashboard"))
    assert 'data-street="宁海路街道" data-ok="yes"' in response.content.decode()


@freeze_time("2025-06-01")
def test_the_plan_check_costs_the_same_queries_whatever_the_records(client_for, role_users):
    client = client_for(role_users["staff"])
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("indicators:dashboard"))
    for name in ("宁海路街道", "华侨路街道", "湖南路街道"):
        organisation = OrganisationFactory(street=street(name))
        team = VolunteerTeamFactory(street=street(name))
        ActivityFactory(organisation=organisation, date=dt.date(2025, 3, 1))
        ActivityFactory(organisation=None, team=team, date=dt.date(2025, 3, 2))
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("indicators:dashboard"))
    assert len(after.captured_queries) == len(before.captured_queries)
    assert response.context["plan_check"].streets_ok == 3
    plan_queries = [q["sql"] for q in after.captured_queries if "organisations_" in q["sql"]]
    assert len(plan_queries) == 1  # one UNION statement over the app's tables
