"""factory_boy factories for organisations, reviews, volunteer teams and activities."""

import datetime as dt

import factory

from organisations.models import (
    Activity,
    Organisation,
    OrganisationKind,
    OrganisationReview,
    ReviewResult,
    VolunteerTeam,
)
from registry.tests.factories import StreetRecordFactory


class OrganisationFactory(StreetRecordFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试助残服务中心{n}")
    kind = OrganisationKind.PRIVATE_NON_ENTERPRISE
    registered_on = dt.date(2019, 5, 1)
    contact_person = "张联系"
    contact_phone = "025-83000000"
    is_demonstration = False
    dissolved_on = None


class OrganisationReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationReview

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2023
    result = ReviewResult.QUALIFIED


class VolunteerTeamFactory(StreetRecordFactory):
    class Meta:
        model = VolunteerTeam

    name = factory.Sequence(lambda n: f"测试助残志愿服务队{n}")
    members = 20
    leader = "李队长"
    founded_on = dt.date(2020, 3, 5)
    dissolved_on = None


class ActivityFactory(factory.django.DjangoModelFactory):
    """An organisation's activity by default; pass `team=` (and `organisation=None`) for a team's."""

    class Meta:
        model = Activity

    organisation = factory.SubFactory(OrganisationFactory)
    team = None
    street = factory.LazyAttribute(lambda a: (a.organisation or a.team).street)
    date = dt.date(2024, 5, 18)
    title = factory.Sequence(lambda n: f"助残日志愿服务活动{n}")
    participants = 15
    persons_served = 30
