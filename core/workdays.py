"""Working days (工作日) in mainland China: weekends and public holidays off, 调休 Saturdays and
Sundays on, from the maintained `chinesecalendar` package (module `chinese_calendar`).

The package only knows the years it was released for (the State Council publishes each year's
holidays in the autumn before). For a year it does not know, this module falls back to weekends
only (Monday to Friday are working days) until the package is upgraded; `knows_year()` tells which.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=64)
def knows_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(date: dt.date) -> bool:
    if knows_year(date.year):
        return chinese_calendar.is_workday(date)
    return date.weekday() < 5


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start): the day of
    受理 itself does not count, the day of the decision does."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += is_workday(day)
        day += dt.timedelta(days=1)
    return count


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the deadline of something received on `start`)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        remaining -= is_workday(day)
    return day


def latest_start_past(days: int, on: dt.date) -> dt.date:
    """The latest start date from which more than `days` working days have passed by `on`:
    everything started on or before it is overdue on `on`. Lets a list filter overdue rows with an
    indexed `received_on <= cutoff` instead of counting days row by row."""
    day = on
    passed = 0
    while True:
        # passed = workdays_between(day, on)
        if passed > days:
            return day
        passed += is_workday(day)
        day -= dt.timedelta(days=1)
