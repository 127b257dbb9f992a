"""Reads of organisations and volunteer teams: scoped lists, detail pages, the per-street figures and
the plan check of the indicators dashboard (each a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, ExpressionWrapper, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.models import Street
from core.periods import today
from organisations.models import (
    Activity,
    Organisation,
    OrganisationReview,
    VolunteerTeam,
    active_in_q,
    exists_in_q,
    year_bounds,
)

# The plan: every street at least one organisation and one team active this year; the district at
# least two demonstration organisations (助残社会组织 "全区培育2个示范性").
DEMONSTRATION_TARGET = 2


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """A correlated count of `queryset` grouped by `group` (already filtered on OuterRef)."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def _activities_in(year: int, owner_field: str) -> Coalesce:
    first, last = year_bounds(year)
    activities = Activity.objects.filter(**{owner_field: OuterRef("pk")}, date__gte=first, date__lte=last)
    return _count(activities, owner_field)


# Lists and pages -------------------------------------------------------------------------------


def organisation_list(user, year: int | None = None) -> QuerySet[Organisation]:
    """The user's organisations with `active` (this year), `activities_in_year` and `last_review`."""
    year = year or today().year
    last_review = OrganisationReview.objects.filter(organisation=OuterRef("pk")).order_by("-year")
    return (
        Organisation.objects.for_user(user)
        .select_related("street")
        .annotate(
            active=ExpressionWrapper(
                active_in_q(year, "registered_on", "organisation"), output_field=models.BooleanField()
            ),
            activities_in_year=_activities_in(year, "organisation"),
            last_review_year=Subquery(last_review.values("year")[:1]),
            last_review_result=Subquery(last_review.values("result")[:1]),
        )
    )


def team_list(user, year: int | None = None) -> QuerySet[VolunteerTeam]:
    year = year or today().year
    return (
        VolunteerTeam.objects.for_user(user)
        .select_related("street")
        .annotate(
            active=ExpressionWrapper(
                active_in_q(year, "founded_on", "team"), output_field=models.BooleanField()
            ),
            activities_in_year=_activities_in(year, "team"),
        )
    )


def organisations(user) -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user).select_related("street")


def teams(user) -> QuerySet[VolunteerTeam]:
    return VolunteerTeam.objects.for_user(user).select_related("street")


def activities(user) -> QuerySet[Activity]:
    return Activity.objects.for_user(user).select_related("organisation", "team", "street")


def reviews(user) -> QuerySet[OrganisationReview]:
    return OrganisationReview.objects.for_user(user).select_related("organisation", "organisation__street")


def owner_activities(owner: Organisation | VolunteerTeam) -> QuerySet[Activity]:
    return owner.activities.order_by("-date", "-id")


def organisation_reviews(organisation: Organisation) -> list[OrganisationReview]:
    return list(organisation.reviews.order_by("-year"))


def is_active_in(owner: Organisation | VolunteerTeam, year: int) -> bool:
    model = type(owner)
    return model.objects.filter(pk=owner.pk).active_in(year).exists()


# Figures and the plan check --------------------------------------------------------------------


def _active_count(model, year: int, start_field: str, owner_field: str) -> Coalesce:
    queryset = model.objects.filter(street=OuterRef("pk")).filter(active_in_q(year, start_field, owner_field))
    return _count(queryset, "street")


def _demonstration_count(year: int) -> Coalesce:
    """Demonstration organisations existing in Y (registered by its end, not dissolved before it):
    one uncorrelated row, as an annotation so that the street rows carry it."""
    demonstration = Organisation.objects.filter(is_demonstration=True).filter(
        exists_in_q(year, "registered_on")
    )
    counted = demonstration.order_by().values("is_demonstration").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


@dataclass
class StreetCheck:
    street: Street
    organisations: int
    teams: int

    @property
    def ok(self) -> bool:
        return self.organisations >= 1 and self.teams >= 1

    @property
    def missing(self) -> str:
        parts = []
        if self.organisations < 1:
            parts.append("缺少活跃的助残社会组织")
        if self.teams < 1:
            parts.append("缺少活跃的志愿者队伍")
        return "；".join(parts)


@dataclass
class PlanCheck:
    year: int
    streets: list[StreetCheck] = field(default_factory=list)
    demonstration: int = 0
    demonstration_target: int = DEMONSTRATION_TARGET

    @property
    def demonstration_ok(self) -> bool:
        return self.demonstration >= self.demonstration_target

    @property
    def streets_ok(self) -> int:
        return sum(1 for row in self.streets if row.ok)

    @property
    def ok(self) -> bool:
        return self.demonstration_ok and self.streets_ok == len(self.streets)


def plan_check(year: int | None = None) -> PlanCheck:
    """The plan check of every street in one query: organisations and teams active in Y (the
    definition of organisations/models.py), and the district's demonstration organisations."""
    year = year or today().year
    streets = Street.objects.order_by("order").annotate(
        active_organisations=_active_count(Organisation, year, "registered_on", "organisation"),
        active_teams=_active_count(VolunteerTeam, year, "founded_on", "team"),
        demonstration=_demonstration_count(year),
    )
    check = PlanCheck(year=year)
    for street in streets:
        check.streets.append(StreetCheck(street, street.active_organisations, street.active_teams))
        check.demonstration = street.demonstration
    return check


@dataclass
class StreetFigures:
    street: Street | None
    organisations: int = 0
    teams: int = 0
    members: int = 0
    activities: int = 0
    persons_served: int = 0
    participants: int = 0

    @property
    def ok(self) -> bool:
        return self.organisations >= 1 and self.teams >= 1


@dataclass
class Figures:
    year: int
    rows: list[StreetFigures]
    total: StreetFigures
    demonstration: int
    demonstration_target: int = DEMONSTRATION_TARGET


def figures(year: int) -> Figures:
    """Per street and for the district: organisations and teams active in Y, members of the active
    teams, activities dated in Y, their participants and persons served; demonstration organisations.
    Counts only (no names): every role that may open the app's figures reads them. Two queries."""
    active_teams = VolunteerTeam.objects.filter(street=OuterRef("pk")).filter(
        active_in_q(year, "founded_on", "team")
    )
    members = active_teams.order_by().values("street").annotate(n=Sum("members")).values("n")
    streets = Street.objects.order_by("order").annotate(
        active_organisations=_active_count(Organisation, year, "registered_on", "organisation"),
        active_teams=_active_count(VolunteerTeam, year, "founded_on", "team"),
        members=Coalesce(Subquery(members, output_field=models.IntegerField()), 0),
        demonstration=_demonstration_count(year),
    )
    first, last = year_bounds(year)
    done = {
        row["street"]: row
        for row in Activity.objects.filter(date__gte=first, date__lte=last)
        .order_by()
        .values("street")
        .annotate(n=Count("pk"), served=Sum("persons_served"), joined=Sum("participants"))
    }
    rows, demonstration = [], 0
    for street in streets:
        counted = done.get(street.pk, {})
        rows.append(
            StreetFigures(
                street=street,
                organisations=street.active_organisations,
                teams=street.active_teams,
                members=street.members,
                activities=counted.get("n", 0),
                persons_served=counted.get("served") or 0,
                participants=counted.get("joined") or 0,
            )
        )
        demonstration = street.demonstration
    total = StreetFigures(street=None)
    for row in rows:
        for name in ("organisations", "teams", "members", "activities", "persons_served", "participants"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return Figures(year=year, rows=rows, total=total, demonstration=demonstration)
