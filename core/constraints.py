"""Builders for the database rules every app states the same way (an end not before its start, a month
stored as its first day, an amount not negative or a year not before a first one, one record per
natural key).

Each returns the constraint with its Chinese `violation_error_message` (the message `full_clean()` shows
when the form's own `clean()` did not catch the mistake first). The conditions are written exactly as
the migrations recorded them, so switching a model to a builder adds no migration.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


def _check(
    field: str, condition: Q, *, nullable: bool, name: str, message: str | None
) -> models.CheckConstraint:
    """`condition` on `field`, which may also be empty if `nullable` (written as the migrations have it:
    `Q(field__isnull=True) | condition`)."""
    if nullable:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def not_before(
    field: str, start_field: str, *, name: str, message: str | None = None, nullable: bool = True
) -> models.CheckConstraint:
    """`field` (an end, a closing or due date) is empty (if `nullable`) or not before `start_field`."""
    return _check(
        field, Q(**{f"{field}__gte": F(start_field)}), nullable=nullable, name=name, message=message
    )


def first_day_of_month(
    field: str, *, name: str, message: str | None = None, nullable: bool = False
) -> models.CheckConstraint:
    """A month stored as its first day (月份应记为当月1日)."""
    return _check(field, Q(**{f"{field}__day": 1}), nullable=nullable, name=name, message=message)


def at_least(
    field: str, minimum: int, *, name: str, message: str | None = None, nullable: bool = False
) -> models.CheckConstraint:
    """`field` is empty (if `nullable`) or `minimum` or more (a year from 2015, a sequence from 1)."""
    return _check(field, Q(**{f"{field}__gte": minimum}), nullable=nullable, name=name, message=message)


def not_negative(
    field: str, *, name: str, message: str | None = None, nullable: bool = False
) -> models.CheckConstraint:
    """An amount or a count that is empty (if `nullable`) or zero or more."""
    return at_least(field, 0, nullable=nullable, name=name, message=message)


def unique(
    *fields: str, name: str, message: str | None = None, condition: Q | None = None
) -> models.UniqueConstraint:
    """One record per combination of `fields` (with `condition`, among the rows it selects)."""
    return models.UniqueConstraint(
        fields=list(fields), condition=condition, name=name, violation_error_message=message
    )


def natural_key(prefix: str, *fields: str, message: str) -> models.UniqueConstraint:
    """The record's natural key, named `<prefix>_natural_key` like every other."""
    return unique(*fields, name=f"{prefix}_natural_key", message=message)
