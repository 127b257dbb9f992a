"""Reads of organisations and volunteer teams: scoped lists, detail pages, the per-street figures and
the plan check of the indicators dashboard (each a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, ExpressionWrapper, OuterRef, QuerySet, Subquery, Sum, Value
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


def organisation_list(user) -> QuerySet[Organisation]:
    """The user's organisations (the list page filters and pages them, then annotates the page)."""
    return Organisation.objects.for_user(user).select_related("street")


def team_list(user) -> QuerySet[VolunteerTeam]:
    return VolunteerTeam.objects.for_user(user).select_related("street")


def with_year_organisations(queryset: QuerySet[Organisation], year: int) -> QuerySet[Organisation]:
    """`active` (in Y), `activities_in_year` and the last review (`last_review_year`/`_result`).
    Applied to one page's rows: on a whole list PostgreSQL would compute them for the skipped rows
    of a late page too."""
    last_review = OrganisationReview.objects.filter(organisation=OuterRef("pk")).order_by("-year")
    return queryset.annotate(
        active=ExpressionWrapper(
            active_in_q(year, "registered_on", "organisation"), output_field=models.BooleanField()
        ),
        activities_in_year=_activities_in(year, "organisation"),
        last_review_year=Subquery(last_review.values("year")[:1]),
        last_review_result=Subquery(last_review.values("result")[:1]),
    )


def with_year_teams(queryset: QuerySet[VolunteerTeam], year: int) -> QuerySet[VolunteerTeam]:
    return queryset.annotate(
        active=ExpressionWrapper(active_in_q(year, "founded_on", "team"), output_field=models.BooleanField()),
        activities_in_year=_activities_in(year, "team"),
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
#
# Both are counts grouped by street over the app's own tables in ONE statement (a UNION ALL of
# grouped selects, each planned on its own table's statistics), plus the 13 streets. Correlated
# subqueries driven by the street table were slower: a 13-row table is never auto-analyzed, so
# PostgreSQL overestimated it and switched JIT compilation on.

ZERO = Value(0, output_field=models.BigIntegerField())


def _grouped(queryset: QuerySet, kind: str, x=ZERO, y=ZERO) -> QuerySet:
    """Rows (kind, street id, count, x, y) of `queryset` grouped by street."""
    return (
        queryset.order_by()
        .values("street")
        .annotate(kind=Value(kind), n=Count("pk"), x=x, y=y)
        .values_list("kind", "street", "n", "x", "y")
    )


def _counts(year: int, *, activities: bool) -> dict[tuple[str, int], tuple[int, int, int]]:
    """{(kind, street id): (count, x, y)} for kind o (active organisations), t (active teams, x =
    their members), d (demonstration organisations existing in Y) and, with `activities`, a
    (activities dated in Y, x = persons served, y = participants)."""
    parts = [
        _grouped(Organisation.objects.filter(active_in_q(year, "registered_on", "organisation")), "o"),
        _grouped(
            VolunteerTeam.objects.filter(active_in_q(year, "founded_on", "team")), "t", x=Sum("members")
        ),
        _grouped(
            Organisation.objects.filter(is_demonstration=True).filter(exists_in_q(year, "registered_on")), "d"
        ),
    ]
    if activities:
        first, last = year_bounds(year)
        parts.append(
            _grouped(
                Activity.objects.filter(date__gte=first, date__lte=last),
                "a",
                x=Sum("persons_served"),
                y=Sum("participants"),
            )
        )
    union = parts[0].union(*parts[1:], all=True)
    return {(kind, street): (n, x or 0, y or 0) for kind, street, n, x, y in union}


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


def _demonstration(counts: dict) -> int:
    return sum(n for (kind, _), (n, _x, _y) in counts.items() if kind == "d")


def plan_check(year: int | None = None) -> PlanCheck:
    """The plan check of every street in two queries: organisations and teams active in Y (the
    definition of organisations/models.py) per street, and the district's demonstration
    organisations (existing in Y)."""
    year = year or today().year
    counts = _counts(year, activities=False)
    check = PlanCheck(year=year, demonstration=_demonstration(counts))
    for street in Street.objects.order_by("order"):
        organisations = counts.get(("o", street.pk), (0, 0, 0))[0]
        teams = counts.get(("t", street.pk), (0, 0, 0))[0]
        check.streets.append(StreetCheck(street, organisations, teams))
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
    counts = _counts(year, activities=True)
    none = (0, 0, 0)
    rows = []
    for street in Street.objects.order_by("order"):
        teams = counts.get(("t", street.pk), none)
        activities = counts.get(("a", street.pk), none)
        rows.append(
            StreetFigures(
                street=street,
                organisations=counts.get(("o", street.pk), none)[0],
                teams=teams[0],
                members=teams[1],
                activities=activities[0],
                persons_served=activities[1],
                participants=activities[2],
            )
        )
    total = StreetFigures(street=None)
    for row in rows:
        for name in ("organisations", "teams", "members", "activities", "persons_served", "participants"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return Figures(year=year, rows=rows, total=total, demonstration=_demonstration(counts))
