"""Writes of the employment domain: training, employment records and graduates.

Every function validates (full_clean, Chinese messages), saves, and records the acting user in the
record's history. Ending an employment record sets its end date; nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.record_services import RecordServices, save_changes, save_validated
from employment.models import Employment, Graduate, Training
from registry.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TRAINING_FIELDS = frozenset({"name", "kind", "start_date", "end_date", "completed"})
EMPLOYMENT_FIELDS = frozenset({"form", "employer", "start_date", "end_date"})
GRADUATE_FIELDS = frozenset({"graduation_year", "school", "degree"})


@transaction.atomic
def training_create(
    *,
    acting_user: AbstractBaseUser | None,
    person: Person,
    name: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    completed: bool = False,
) -> Training:
    training = Training(
        person=person, name=name, kind=kind, start_date=start_date, end_date=end_date, completed=completed
    )
    return save_validated(training, acting_user=acting_user)


@transaction.atomic
def training_update(*, acting_user: AbstractBaseUser | None, training: Training, **changes: Any) -> Training:
    """Change any of name, kind, start_date, end_date, completed (a training keeps its person)."""
    return save_changes(training, changes, TRAINING_FIELDS, acting_user=acting_user)


@transaction.atomic
def employment_create(
    *,
    acting_user: AbstractBaseUser | None,
    person: Person,
    form: str,
    start_date: dt.date,
    employer: str = "",
    end_date: dt.date | None = None,
) -> Employment:
    employment = Employment(
        person=person, form=form, employer=employer, start_date=start_date, end_date=end_date
    )
    return save_validated(employment, acting_user=acting_user)


@transaction.atomic
def employment_update(
    *, acting_user: AbstractBaseUser | None, employment: Employment, **changes: Any
) -> Employment:
    """Change any of form, employer, start_date, end_date."""
    return save_changes(employment, changes, EMPLOYMENT_FIELDS, acting_user=acting_user)


@transaction.atomic
def employment_end(
    *, acting_user: AbstractBaseUser | None, employment: Employment, end_date: dt.date
) -> Employment:
    """就业结束: the record stays, with its last day as end date (active on that day)."""
    employment.end_date = end_date
    return save_validated(employment, acting_user=acting_user)


@transaction.atomic
def graduate_create(
    *,
    acting_user: AbstractBaseUser | None,
    person: Person,
    graduation_year: int,
    school: str = "",
    degree: str = "",
) -> Graduate:
    graduate = Graduate(person=person, graduation_year=graduation_year, school=school, degree=degree)
    return save_validated(graduate, acting_user=acting_user)


@transaction.atomic
def graduate_update(*, acting_user: AbstractBaseUser | None, graduate: Graduate, **changes: Any) -> Graduate:
    """Change any of graduation_year, school, degree."""
    return save_changes(graduate, changes, GRADUATE_FIELDS, acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
TRAINING_SERVICES = RecordServices(create=training_create, update=training_update, record_arg="training")
EMPLOYMENT_SERVICES = RecordServices(
    create=employment_create, update=employment_update, record_arg="employment"
)
GRADUATE_SERVICES = RecordServices(create=graduate_create, update=graduate_update, record_arg="graduate")
