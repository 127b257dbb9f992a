"""Demo data: a believable district where most streets pass the plan check and two do not."""

import random

import pytest
from django.db.models import F, Q

from organisations import demo
from organisations.models import Activity, Organisation, OrganisationReview, VolunteerTeam
from organisations.selectors import plan_check
from registry.demo import TODAY_REFERENCE

pytestmark = pytest.mark.django_db


def test_demo_gives_most_streets_green_two_red_and_two_demonstration_organisations():
    counts = demo.generate_demo(rng=random.Random(9))

    assert counts == {
        "助残社会组织": Organisation.objects.count(),
        "志愿者队伍": VolunteerTeam.objects.count(),
        "助残活动": Activity.objects.count(),
        "年度评估": OrganisationReview.objects.count(),
    }
    check = plan_check(TODAY_REFERENCE.year)
    red = {row.street.name for row in check.streets if not row.ok}
    assert red == {demo.NO_TEAM_STREET, demo.IDLE_ORGANISATION_STREET}
    assert check.demonstration == 2 and check.demonstration_ok
    # activities fall within their owners' lives, carry their street, and none is after the reference day
    assert not Activity.objects.filter(date__gt=TODAY_REFERENCE).exists()
    assert not Activity.objects.filter(team__dissolved_on__lt=F("date")).exists()
    assert not Activity.objects.filter(
        Q(organisation__registered_on__gt=F("date")) | Q(team__founded_on__gt=F("date"))
    ).exists()
    assert not Activity.objects.exclude(
        Q(street=F("organisation__street")) | Q(street=F("team__street"))
    ).exists()
