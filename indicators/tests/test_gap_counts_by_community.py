"""Officials see a street's gap counts per community (no names); a community worker's gap list is his
community's (registry/tests/test_community_scoping.py)."""

import pytest
from django.urls import reverse

from core.models import Street
from registry.tests.factories import PersonFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _k04_gap(community=None, street=None, name="缺口"):
    person = PersonFactory(community=community, street=street or community.street, name=name, grade="1")
    SurveyFactory(person=person, year=2023, low_income_type="tekun")
    return person


def test_official_sees_a_streets_gap_counts_per_community_without_names(
    client_for, official_user, worker_community, other_community
):
    _k04_gap(worker_community, name="甲缺口")
    _k04_gap(worker_community, name="乙缺口")
    _k04_gap(other_community, name="丙缺口")
    _k04_gap(street=worker_community.street, name="无社区缺口")
    _k04_gap(street=Street.objects.get(name="华侨路街道"), name="外街道缺口")
    url = reverse("indicators:gap_list", kwargs={"code": "K04", "year": 2023})
    response = client_for(official_user).get(url, {"street": worker_community.street.pk})
    page = response.content.decode()
    rows = {
        (c["community"].name if c["community"] else None): c["total"]
        for c in response.context["community_counts"]
    }
    # K04 has two parts (two subsidies): each person misses both
    assert rows == {"宁海路社区": 4, "颐和路社区": 2, None: 2}
    assert "未填写社区" in page and not any(n in page for n in ("甲缺口", "丙缺口", "3201"))


def test_official_without_a_street_sees_only_street_counts(client_for, official_user, worker_community):
    _k04_gap(worker_community)
    response = client_for(official_user).get(
        reverse("indicators:gap_list", kwargs={"code": "K04", "year": 2023})
    )
    assert "community_counts" not in response.context


def test_care_home_gap_has_no_community_breakdown(client_for, official_user):
    street = Street.objects.get(name="宁海路街道")
    response = client_for(official_user).get(
        reverse("indicators:gap_list", kwargs={"code": "K12", "year": 2023}), {"street": street.pk}
    )
    assert response.status_code == 200 and response.context["community_counts"] is None
