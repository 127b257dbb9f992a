"""Date semantics shared by the domains and the indicators (indicators.md, "Common terms")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.constraints import not_before
from core.scoping import StreetScopedQuerySet

# Set by `one_day()`: the date a long run (an import of 100,000 rows) reads, instead of asking the
# time zone machinery again for every row.
_RUN_DATE: ContextVar[dt.date | None] = ContextVar("run_date", default=None)


def today() -> dt.date:
    run_date = _RUN_DATE.get()
    return run_date if run_date is not None else timezone.localdate()


@contextmanager
def one_day() -> Iterator[dt.date]:
    """Within the block `today()` is the date it started on: every row of one import is checked
    against the same day, even across midnight, and cheaply (timezone.localdate() costs a few
    microseconds, called several times per row)."""
    token = _RUN_DATE.set(_RUN_DATE.get() or timezone.localdate())
    try:
        yield _RUN_DATE.get()
    finally:
        _RUN_DATE.reset(token)


def reference_date(year: int) -> dt.date:
    """R(Y): 31 December of Y, or today for the current, unfinished year."""
    end = dt.date(year, 12, 31)
    return min(end, today()) if year == today().year else end


def first_of_month(date: dt.date) -> dt.date:
    return date.replace(day=1)


class PeriodQuerySet(StreetScopedQuerySet):
    """Records with a start and an optional end (grants, placements, employment, projects).

    With `month_fields`, start and end are stored as the first day of their month and count as the
    whole month: an end month of January 2023 is still active on 31 January 2023.
    """

    start_field = "start_date"
    end_field = "end_date"
    month_fields = False

    def active_in(self, year: int):
        """Active in Y: start ≤ R(Y) and (no end, or end ≥ 1 January Y)."""
        return self.filter(active_in_q(year, self.start_field, self.end_field))

    def current(self):
        """Active today (在职, 在托, 运行中)."""
        return self.active_on(today())

    def active_on(self, date: dt.date):
        """Active on a date: start ≤ date and (no end, or end ≥ date)."""
        end_bound = first_of_month(date) if self.month_fields else date
        return self.filter(
            Q(**{f"{self.start_field}__lte": date})
            & (Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": end_bound}))
        )


def active_in_q(year: int, start_field: str, end_field: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{start_field}__lte": reference_date(year)}) & (
        Q(**{f"{prefix}{end_field}__isnull": True}) | Q(**{f"{prefix}{end_field}__gte": dt.date(year, 1, 1)})
    )


class DatedQuerySet(StreetScopedQuerySet):
    """Records dated by one day (rehab services; training by its start date)."""

    date_field = "service_date"

    def dated_in(self, year: int):
        return self.filter(**{f"{self.date_field}__year": year})


def end_after_start_constraint(name: str) -> models.CheckConstraint:
    """Database rule for dated records: no end before the start."""
    return not_before("end_date", "start_date", name=f"{name}_end_after_start")


class EndAfterStartMixin:
    """A record with a start day and an optional end day (employment, placements, projects, trainings):
    the end-after-start rule as a message next to the field, and `is_current`."""

    @property
    def is_current(self) -> bool:
        """Active today (the Python twin of PeriodQuerySet.current())."""
        now = today()
        return self.start_date <= now and (self.end_date is None or self.end_date >= now)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期"})


def years_before(date: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February falls back to 28 February."""
    try:
        return date.replace(year=date.year - years)
    except ValueError:
        return date.replace(year=date.year - years, day=28)


def aged_at_least_q(years: int, on: dt.date, prefix: str = "") -> Q:
    """Completed age on `on` is `years` or more: born on or before the same day `years` earlier."""
    return Q(**{f"{prefix}birth_date__lte": years_before(on, years)})


def aged_under_q(years: int, on: dt.date, prefix: str = "") -> Q:
    """Completed age on `on` is below `years`."""
    return Q(**{f"{prefix}birth_date__gt": years_before(on, years)})
