"""Reads of 法律救助: the scoped lists, the landing page's counts and the yearly figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from core.models import Street
from core.periods import today
from legal_aid.models import LONG_OPEN_DAYS, AidCase, AidKind, Consultation, Topic


def consultations(*, user) -> QuerySet[Consultation]:
    """The consultations the user may open (lists and forms)."""
    return Consultation.objects.for_user(user).select_related("street", "person", "person__street")


def consultation_list(*, user) -> QuerySet[Consultation]:
    """Newest first. The page's persons and streets are read by id after the page (prefetch), so
    that a late page (OFFSET 25,000) walks the date index alone, not a join per skipped row."""
    return (
        Consultation.objects.for_user(user)
        .prefetch_related("street", "person")
        .order_by("-consulted_on", "-id")
    )


def aid_cases(*, user) -> QuerySet[AidCase]:
    return AidCase.objects.for_user(user).select_related("person", "person__street")


def aid_case_list(*, user) -> QuerySet[AidCase]:
    """Newest first; persons and their streets read after the page, as consultation_list does."""
    return AidCase.objects.for_user(user).prefetch_related("person__street").order_by("-opened_on", "-id")


def long_open_cases(*, user) -> QuerySet[AidCase]:
    return AidCase.objects.for_user(user).long_open()


def person_aid_cases(person) -> list[AidCase]:
    return list(AidCase.objects.filter(person=person).order_by("-opened_on", "-id"))


def person_consultations(person) -> list[Consultation]:
    return list(Consultation.objects.filter(person=person).select_related("street").order_by("-consulted_on"))


@dataclass
class Overview:
    """The landing page's counts, within the user's scope."""

    year: int
    consultations: int
    cases_open: int
    cases_long_open: int


def overview(*, user, year: int | None = None) -> Overview:
    year = year or today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    long_open_before = today() - dt.timedelta(days=LONG_OPEN_DAYS)
    cases = (
        AidCase.objects.for_user(user)
        .still_open()
        .aggregate(open=Count("id"), long_open=Count("id", filter=Q(opened_on__lt=long_open_before)))
    )
    return Overview(
        year=year,
        consultations=Consultation.objects.for_user(user)
        .filter(consulted_on__gte=start, consulted_on__lte=end)
        .count(),
        cases_open=cases["open"],
        cases_long_open=cases["long_open"],
    )


# The yearly figures (officials and everyone else: counts and sums, no names) -------------------


@dataclass
class StreetFigures:
    name: str
    consultations: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    amount: Decimal = Decimal(0)
    consultations_by_topic: dict[str, int] = field(default_factory=dict)
    opened_by_kind: dict[str, int] = field(default_factory=dict)


@dataclass
class KindFigures:
    kind: str
    label: str
    opened: int = 0
    closed: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class YearFigures:
    year: int
    streets: list[StreetFigures]
    district: StreetFigures
    kinds: list[KindFigures]
    topics: list[tuple[str, int]]


def year_figures(year: int) -> YearFigures:
    """The plan's figures of a year, per street and district-wide: consultations (人次, by topic),
    aid cases opened and closed (by kind) and the amount recovered (元) in the cases closed that year.

    Three queries whatever the number of records: the streets, one grouped aggregate of the
    consultations and one of the cases opened or closed (range filters on the dates' indexes)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    streets = {s.pk: StreetFigures(name=s.name) for s in Street.objects.order_by("order", "id")}
    district = StreetFigures(name="全区合计")
    kinds = {kind.value: KindFigures(kind=kind.value, label=kind.label) for kind in AidKind}
    topics: dict[str, int] = defaultdict(int)

    consulted = (
        Consultation.objects.filter(consulted_on__gte=start, consulted_on__lte=end)
        .values_list("street_id", "topic")
        .annotate(n=Count("id"))
        .order_by()
    )
    for street_id, topic, n in consulted:
        row = streets[street_id]
        row.consultations += n
        row.consultations_by_topic[topic] = row.consultations_by_topic.get(topic, 0) + n
        district.consultations += n
        topics[topic] += n

    # Opened and closed in one pass, by the receiving street stored on the case (no join).
    opened_q = Q(opened_on__gte=start, opened_on__lte=end)
    closed_q = Q(closed_on__gte=start, closed_on__lte=end)
    cases = (
        AidCase.objects.filter(opened_q | closed_q)
        .values_list("street_id", "kind")
        .annotate(
            opened=Count("id", filter=opened_q),
            closed=Count("id", filter=closed_q),
            amount=Sum("amount_recovered", filter=closed_q),
        )
        .order_by()
    )
    for street_id, kind, opened, closed, amount in cases:
        amount = amount or Decimal(0)
        row = streets[street_id]
        row.cases_opened += opened
        row.opened_by_kind[kind] = row.opened_by_kind.get(kind, 0) + opened
        row.cases_closed += closed
        row.amount += amount
        district.cases_opened += opened
        district.cases_closed += closed
        district.amount += amount
        kinds[kind].opened += opened
        kinds[kind].closed += closed
        kinds[kind].amount += amount

    return YearFigures(
        year=year,
        streets=list(streets.values()),
        district=district,
        kinds=list(kinds.values()),
        topics=[(topic.label, topics.get(topic.value, 0)) for topic in Topic],
    )


def figure_years() -> list[int]:
    """The years the picker offers: this year back to 2015 (the register's first year)."""
    return list(range(today().year, 2014, -1))
