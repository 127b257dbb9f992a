"""Reads of 信访事项: the lists (all, overdue, due soon), a case's actions, the workbench counts and
the figures (counts only, no names: officials see them).

Due soon (临期): open, and the deadline falls from today to the third working day after today
(DUE_SOON_WORKING_DAYS), both included; a deadline today is due soon, not yet overdue. Overdue (超期):
open after the deadline day.

Figures are set-based: a constant number of GROUP BY queries whatever the number of cases. The median
days to close is read from a histogram (days -> count, a few hundred rows at most), grouped in the
database on both PostgreSQL and SQLite, so no percentile function is needed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case as When_
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth

from cases.models import Case, CaseAction, CaseCategory, Source
from core.models import Street
from core.periods import today
from core.workdays import add_workdays

DUE_SOON_WORKING_DAYS = 3


def due_soon_until(on: dt.date) -> dt.date:
    """The last deadline of the due-soon list on `on`: the third working day after it."""
    return add_workdays(on, DUE_SOON_WORKING_DAYS)


# Lists -----------------------------------------------------------------------------------------


def cases(*, user) -> QuerySet[Case]:
    """The cases the user may open (a case's page, its actions and forms)."""
    return Case.objects.for_user(user).select_related("street", "person", "person__street")


def case_list(*, user) -> QuerySet[Case]:
    """Newest first (the list; its filters are cases.filters.CaseFilter)."""
    return cases(user=user).order_by("-received_on", "-id")


def overdue(*, user, on: dt.date | None = None) -> QuerySet[Case]:
    """Open after the deadline, the longest overdue first."""
    return cases(user=user).overdue_on(on or today()).order_by("deadline", "id")


def due_soon(*, user, on: dt.date | None = None) -> QuerySet[Case]:
    """Open with a deadline from today to the third working day after today, the nearest first."""
    on = on or today()
    return cases(user=user).due_between(on, due_soon_until(on)).order_by("deadline", "id")


def counts_by_street(queryset: QuerySet[Case]) -> list[dict]:
    """How many of a list fall to each street (the district's view of the overdue and due-soon lists)."""
    rows = dict(queryset.order_by().values_list("street_id").annotate(n=Count("id")))
    return [{"street": s, "count": rows[s.pk]} for s in Street.objects.order_by("order") if s.pk in rows]


def actions_of(case: Case) -> list[CaseAction]:
    return list(case.actions.select_related("by").order_by("done_on", "id"))


def workbench_counts(user) -> dict[str, int]:
    """Overdue and due-soon cases of the user's scope, in one query (cached on the user per request)."""
    cached = getattr(user, "_cases_workbench", None)
    if cached is not None:
        return cached
    on = today()
    last = due_soon_until(on)
    counts = (
        Case.objects.for_user(user)
        .open()
        .filter(deadline__lte=last)
        .aggregate(
            overdue=Count("id", filter=Q(deadline__lt=on)),
            due_soon=Count("id", filter=Q(deadline__gte=on)),
        )
    )
    user._cases_workbench = counts
    return counts


# Figures ---------------------------------------------------------------------------------------

DAYS_TO_CLOSE = ExpressionWrapper(F("closed_on") - F("received_on"), output_field=DurationField())
ON_TIME = When_(
    When(closed_on__lte=F("deadline"), then=Value(1)), default=Value(0), output_field=IntegerField()
)


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values given as value -> count."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = (total - 1) // 2, total // 2  # the middle one, or the middle two
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and seen > wanted[len(found)]:
            found.append(value)
    median = (found[0] + found[1]) / 2
    return int(median) if float(median).is_integer() else median


@dataclass
class Line:
    """One row of a figures table."""

    key: object
    label: str
    received: int = 0
    closed: int = 0
    on_time: int = 0
    overdue_open: int = 0
    days: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.closed, 1) if self.closed else None

    @property
    def median_days(self) -> float | None:
        return median_of(self.days)


def _period(year: int, month: int | None) -> tuple[dt.date, dt.date]:
    if month is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    first = dt.date(year, month, 1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def _days(value) -> int:
    """A duration from the database (a timedelta; an integer of days on some backends)."""
    return value.days if isinstance(value, dt.timedelta) else int(value)


def _fill(lines: dict, received, closed, overdue=None) -> None:
    for key, n in received:
        if key in lines:
            lines[key].received = n
    for key, days, on_time, n in closed:
        if key in lines:
            line = lines[key]
            line.closed += n
            line.on_time += n * on_time
            line.days[_days(days)] += n
    for key, n in overdue or ():
        if key in lines:
            lines[key].overdue_open = n


def _received(start, end, dimension):
    return (
        Case.objects.filter(received_on__gte=start, received_on__lt=end)
        .order_by()
        .values_list(dimension)
        .annotate(n=Count("id"))
    )


def _closed(start, end, dimension):
    """(dimension, days to close, on time 0/1, count) of the cases closed in the period."""
    return (
        Case.objects.filter(closed_on__gte=start, closed_on__lt=end)
        .annotate(days=DAYS_TO_CLOSE, on_time=ON_TIME)
        .order_by()
        .values_list(dimension, "days", "on_time")
        .annotate(n=Count("id"))
    )


def figures(*, year: int, month: int | None = None, on: dt.date | None = None) -> dict:
    """The figures page: the year's twelve months, and the period (the year, or one month of it) by
    source, category and street. Received counts by the day of receipt; closed, on-time rate and median
    days to close by the day of closing; overdue (open after the deadline) as of `on` (today)."""
    on = on or today()
    start, end = _period(year, month)
    year_start, year_end = _period(year, None)

    months = {m: Line(m, f"{m}月") for m in range(1, 13)}
    received_by_month = (
        Case.objects.filter(received_on__gte=year_start, received_on__lt=year_end)
        .annotate(m=ExtractMonth("received_on"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("id"))
    )
    closed_by_month = (
        Case.objects.filter(closed_on__gte=year_start, closed_on__lt=year_end)
        .annotate(m=ExtractMonth("closed_on"), days=DAYS_TO_CLOSE, on_time=ON_TIME)
        .order_by()
        .values_list("m", "days", "on_time")
        .annotate(n=Count("id"))
    )
    _fill(months, received_by_month, closed_by_month)

    sources = {s.value: Line(s.value, s.label) for s in Source}
    _fill(sources, _received(start, end, "source"), _closed(start, end, "source"))
    categories = {c.value: Line(c.value, c.label) for c in CaseCategory}
    _fill(categories, _received(start, end, "category"), _closed(start, end, "category"))
    streets = {s.pk: Line(s.pk, s.name) for s in Street.objects.order_by("order")}
    overdue_by_street = (
        Case.objects.overdue_on(on).order_by().values_list("street_id").annotate(n=Count("id"))
    )
    _fill(streets, _received(start, end, "street_id"), _closed(start, end, "street_id"), overdue_by_street)

    total = Line("total", "合计")
    for line in sources.values():
        total.received += line.received
        total.closed += line.closed
        total.on_time += line.on_time
        for days, n in line.days.items():
            total.days[days] += n
    total.overdue_open = sum(line.overdue_open for line in streets.values())
    return {
        "months": list(months.values()),
        "sources": list(sources.values()),
        "categories": list(categories.values()),
        "streets": list(streets.values()),
        "total": total,
        "start": start,
        "end": end - dt.timedelta(days=1),
    }
