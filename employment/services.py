"""Writes of the employment domain: training, employment records and graduates.

Every function validates (full_clean, Chinese messages), saves, and records the acting user in the
record's history. Ending an employment record sets its end date; nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.record_services import RecordServices, create_validated, save_changes, save_validated
from employment.models import Employment, Graduate, Training

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TRAINING_FIELDS = frozenset({"name", "kind", "start_date", "end_date", "completed"})
EMPLOYMENT_FIELDS = frozenset({"form", "employer", "start_date", "end_date"})
GRADUATE_FIELDS = frozenset({"graduation_year", "school", "degree"})


@transaction.atomic
def training_create(*, acting_user: AbstractBaseUser | None, **values: Any) -> Training:
    """A person's training of TRAINING_FIELDS: person, name, kind and start_date required."""
    return create_validated(Training, values, {"person", *TRAINING_FIELDS}, acting_user=acting_user)


@transaction.atomic
def training_update(*, acting_user: AbstractBaseUser | None, training: Training, **changes: Any) -> Training:
    """Change any of name, kind, start_date, end_date, completed (a training keeps its person)."""
    return save_changes(training, changes, TRAINING_FIELDS, acting_user=acting_user)


@transaction.atomic
def employment_create(*, acting_user: AbstractBaseUser | None, **values: Any) -> Employment:
    """A person's employment of EMPLOYMENT_FIELDS: person, form and start_date required."""
    return create_validated(Employment, values, {"person", *EMPLOYMENT_FIELDS}, acting_user=acting_user)


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
def graduate_create(*, acting_user: AbstractBaseUser | None, **values: Any) -> Graduate:
    """A graduate of GRADUATE_FIELDS: person and graduation_year required."""
    return create_validated(Graduate, values, {"person", *GRADUATE_FIELDS}, acting_user=acting_user)


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
