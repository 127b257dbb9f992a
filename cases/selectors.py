"""Reads of 信访事项: the lists (all, overdue, due soon), a case's actions, the workbench counts and
the figures (counts only, no names: officials see them).

Due soon (临期): open, and the deadline falls from today to the third working day after today
(DUE_SOON_WORKING_DAYS), both included; a deadline today is due soon, not yet overdue. Overdue (超期):
open after the deadline day.

Figures are set-based: a constant number of GROUP BY queries whatever the number of cases (on
PostgreSQL one GROUPING SETS read per table, elsewhere one GROUP BY per dimension). The median days to
close is read from a histogram (days -> count, a few hundred rows at most), grouped in the database on
both PostgreSQL and SQLite, so no percentile function is needed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
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


RECEIVED_SETS_SQL = """
SELECT EXTRACT(MONTH FROM received_on)::int AS m,
       (received_on >= %(start)s AND received_on < %(end)s) AS p,
       source, category, street_id, COUNT(*)
FROM cases_case
WHERE received_on >= %(year_start)s AND received_on < %(year_end)s
GROUP BY GROUPING SETS ((1), (2, 3), (2, 4), (2, 5))
"""
CLOSED_SETS_SQL = """
SELECT EXTRACT(MONTH FROM closed_on)::int AS m,
       (closed_on >= %(start)s AND closed_on < %(end)s) AS p,
       source, category, street_id, closed_on - received_on AS days,
       CASE WHEN closed_on <= deadline THEN 1 ELSE 0 END AS on_time, COUNT(*)
FROM cases_case
WHERE closed_on >= %(year_start)s AND closed_on < %(year_end)s
GROUP BY GROUPING SETS ((1, 6, 7), (2, 3, 6, 7), (2, 4, 6, 7), (2, 5, 6, 7))
"""


def _figures_by_grouping_sets(params: dict) -> tuple[list, ...]:
    """PostgreSQL: each table read once for the months and the three dimensions (GROUPING SETS);
    a dimension's rows are those of its period (`p`)."""
    received: tuple[list, ...] = ([], [], [], [])
    closed: tuple[list, ...] = ([], [], [], [])
    with connection.cursor() as cursor:
        cursor.execute(RECEIVED_SETS_SQL, params)
        for m, in_period, source, category, street_id, n in cursor.fetchall():
            if m is not None:
                received[0].append((m, n))
            elif in_period:
                key, index = _dimension(source, category, street_id)
                received[index].append((key, n))
        cursor.execute(CLOSED_SETS_SQL, params)
        for m, in_period, source, category, street_id, days, on_time, n in cursor.fetchall():
            if m is not None:
                closed[0].append((m, days, on_time, n))
            elif in_period:
                key, index = _dimension(source, category, street_id)
                closed[index].append((key, days, on_time, n))
    return received, closed


def _dimension(source, category, street_id) -> tuple[object, int]:
    if source is not None:
        return source, 1
    if category is not None:
        return category, 2
    return street_id, 3


def _figures_by_queries(params: dict) -> tuple[list, ...]:
    """Elsewhere (SQLite): one GROUP BY per table and dimension, the same rows."""
    year_start, year_end, start, end = (params[k] for k in ("year_start", "year_end", "start", "end"))
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
    dimensions = ("source", "category", "street_id")
    received = (list(received_by_month), *(list(_received(start, end, d)) for d in dimensions))
    closed = (list(closed_by_month), *(list(_closed(start, end, d)) for d in dimensions))
    return received, closed


def figures(*, year: int, month: int | None = None, on: dt.date | None = None) -> dict:
    """The figures page: the year's twelve months, and the period (the year, or one month of it) by
    source, category and street. Received counts by the day of receipt; closed, on-time rate and median
    days to close by the day of closing; overdue (open after the deadline) as of `on` (today).
    Three queries on PostgreSQL (two GROUPING SETS reads and the overdue count by street), nine
    elsewhere; constant whatever the number of cases."""
    on = on or today()
    start, end = _period(year, month)
    year_start, year_end = _period(year, None)
    params = {"start": start, "end": end, "year_start": year_start, "year_end": year_end}
    if connection.vendor == "postgresql":
        received, closed = _figures_by_grouping_sets(params)
    else:
        received, closed = _figures_by_queries(params)

    months = {m: Line(m, f"{m}月") for m in range(1, 13)}
    sources = {s.value: Line(s.value, s.label) for s in Source}
    categories = {c.value: Line(c.value, c.label) for c in CaseCategory}
    streets = {s.pk: Line(s.pk, s.name) for s in Street.objects.order_by("order")}
    overdue_by_street = (
        Case.objects.overdue_on(on).order_by().values_list("street_id").annotate(n=Count("id"))
    )
    _fill(months, received[0], closed[0])
    _fill(sources, received[1], closed[1])
    _fill(categories, received[2], closed[2])
    _fill(streets, received[3], closed[3], overdue_by_street)

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
