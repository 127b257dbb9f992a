"""A street's dashboard breaks its survey coverage down by community (issue 12): counts only, live,
one grouped query; the district dashboard has no such section."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Street
from indicators.tests.factories import IndicatorRunFactory, IndicatorValueFactory
from registry.tests.factories import CommunityFactory, PersonFactory, SurveyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ticking_noon")]


@pytest.fixture
def run_2023():
    run = IndicatorRunFactory(years=[2023])
    IndicatorValueFactory(run=run, code="K03", year=2023, street=None, value=90.0, target=100.0, met=False)
    return run


@pytest.fixture
def two_communities(worker_community, other_community):
    """2023 (R = 2023-12-31), hand-computed:
    宁海路社区: 甲 in, surveyed 2023; 乙 in, surveyed 2022 only; 丙 certified 2024 (out) with a 2023
    survey; 丁 cancelled 2023-06-01 (out) with a 2023 survey; 戊 cancelled 2024-02-01 (still in on R),
    surveyed 2023 -> 3 holders, 2 surveyed, 66.7 %.
    颐和路社区: 己 in, never surveyed -> 1 holder, 0 surveyed, 0.0 %.
    An empty community of the street -> 0, 0, 无数据. A person of another street is not counted."""
    street = worker_community.street

    def person(name, community, **fields):
        return PersonFactory(name=name, community=community, street=community.street, **fields)

    SurveyFactory(person=person("甲某某", worker_community), year=2023)
    SurveyFactory(person=person("乙某某", worker_community), year=2022)
    SurveyFactory(person=person("丙某某", worker_community, issued_on=dt.date(2024, 3, 1)), year=2023)
    cancelled = {"status": "cancelled", "status_changed_on": dt.date(2023, 6, 1)}
    SurveyFactory(person=person("丁某某", worker_community, **cancelled), year=2023)
    later = {"status": "cancelled", "status_changed_on": dt.date(2024, 2, 1)}
    SurveyFactory(person=person("戊某某", worker_community, **later), year=2023)
    person("己某某", other_community)
    empty = CommunityFactory(street=street, name="空白社区")
    elsewhere = CommunityFactory(street=Street.objects.get(name="华侨路街道"), name="外街道社区")
    SurveyFactory(person=person("庚某某", elsewhere), year=2023)
    return street, empty


def _street_dashboard(client, street):
    return client.get(reverse("indicators:dashboard"), {"year": 2023, "street": street.pk})


def test_street_dashboard_counts_holders_and_surveys_per_community(
    role_users, client_for, run_2023, two_communities
):
    street, _ = two_communities
    response = _street_dashboard(client_for(role_users["staff"]), street)
    rows = {
        r["community"].name: (
            r["population"],
            r["surveyed"],
            None if r["rate"] is None else round(r["rate"], 1),
        )
        for r in response.context["community_coverage"]
    }
    assert rows == {"宁海路社区": (3, 2, 66.7), "颐和路社区": (1, 0, 0.0), "空白社区": (0, 0, None)}
    page = response.content.decode()
    assert "各社区情况" in page and "66.7%" in page and "无数据" in page


def test_official_sees_community_counts_and_no_names(role_users, client_for, run_2023, two_communities):
    street, _ = two_communities
    response = _street_dashboard(client_for(role_users["official"]), street)
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('data-testid="community-coverage"') :]
    section = section[: section.index("</table>")]
    assert "宁海路社区" in section and '<td class="text-end">3</td>' in section
    assert not any(name in page for name in ("甲某某", "乙某某", "戊某某", "己某某", "3201"))


def test_district_dashboard_has_no_community_section(role_users, client_for, run_2023, two_communities):
    response = client_for(role_users["official"]).get(reverse("indicators:dashboard"), {"year": 2023})
    assert "community_coverage" not in response.context
    assert "各社区情况" not in response.content.decode()


def test_street_dashboard_adds_exactly_one_query(role_users, client_for, run_2023, two_communities):
    """The district dashboard's pinned queries (test_views) plus ONE grouped query for the communities,
    whatever the number of persons and communities."""
    street, empty = two_communities
    client = client_for(role_users["official"])
    client.get(reverse("indicators:dashboard"), {"year": 2023})  # warms the snapshot cache
    with CaptureQueriesContext(connection) as district:
        client.get(reverse("indicators:dashboard"), {"year": 2023})
    with CaptureQueriesContext(connection) as street_page:
        _street_dashboard(client, street)
    assert len(street_page.captured_queries) == len(district.captured_queries) + 1
    person_queries = [q["sql"] for q in street_page.captured_queries if "registry_person" in q["sql"]]
    assert len(person_queries) == 1 and "GROUP BY" in person_queries[0]
    # more persons and communities: still the same count
    for i in range(3):
        SurveyFactory(person=PersonFactory(community=empty, street=street), year=2023)
        CommunityFactory(street=street, name=f"新社区{i}")
    with CaptureQueriesContext(connection) as again:
        _street_dashboard(client, street)
    assert len(again.captured_queries) == len(street_page.captured_queries)
