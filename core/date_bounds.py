"""The dates a clerk would accept: the one place for the bounds of every recorded date.

The validators sit on the models' date fields, so the pages' forms, the API (through the services'
full_clean), the Excel import (which runs the model fields' validators on each cell) and the admin
all refuse the same dates with the same Chinese message.

- Nothing is dated before 1900-01-01 (a birth date from an ID number included).
- What has happened (a birth, a certificate, a service given, a job or a placement begun, a home
  opened) is dated no later than today.
- What may be planned (a training, a project, a grant's months, any end date) is dated at most one
  year ahead.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from core.idnumbers import EARLIEST_BIRTH_DATE
from core.periods import today

# The birth date in an ID number has the same bound (core.idnumbers checks it).
EARLIEST_DATE = EARLIEST_BIRTH_DATE
PLANNING_YEARS = 1


def latest_planned_date() -> dt.date:
    """Today one year ahead (29 February falls back to 28 February)."""
    now = today()
    try:
        return now.replace(year=now.year + PLANNING_YEARS)
    except ValueError:
        return now.replace(year=now.year + PLANNING_YEARS, day=28)


def _check_earliest(value: dt.date) -> None:
    if value < EARLIEST_DATE:
        raise ValidationError(f"日期不能早于{EARLIEST_DATE:%Y-%m-%d}", code="before_earliest_date")


def validate_not_after_today(value: dt.date | None) -> None:
    """A date of something that has happened: 1900-01-01 .. today."""
    if value is None:
        return
    _check_earliest(value)
    if value > today():
        raise ValidationError(f"日期不能晚于今天（{today():%Y-%m-%d}）", code="after_today")


def validate_within_planning(value: dt.date | None) -> None:
    """A date that may be planned: 1900-01-01 .. one year from today."""
    if value is None:
        return
    _check_earliest(value)
    latest = latest_planned_date()
    if value > latest:
        raise ValidationError(f"日期不能晚于{latest:%Y-%m-%d}（最多提前一年）", code="beyond_planning")
