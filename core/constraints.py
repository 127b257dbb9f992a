"""Builders for the database rules every app states the same way (an end not before its start, a month
stored as its first day, an amount not negative or a year not before a first one, one record per
natural key).

Each returns the constraint with its Chinese `violation_error_message` (the message `full_clean()` shows
when the form's own `clean()` did not catch the mistake first). A check on one field (every builder but
`unique` and `natural_key`) gives that message to its field (`not_before`: to the end), so a form shows
it under the input and the API under the field's key. (The Excel import checks each cell and the
model's `clean()`, not these constraints: a cell's own rule, such as 不能小于0, refuses the value first.)
The conditions are written exactly as the migrations recorded them, and the checks deconstruct as
Django's own CheckConstraint, so switching a model to a builder adds no migration.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q

# What a negative value is told, on every door (the model's rule, the form, the API, the admin, a
# workbook's cell): under its field, and for the amounts in 元 that every domain keeps.
NEGATIVE_MESSAGE = "不能为负数"
NEGATIVE_AMOUNT_MESSAGE = "金额不能为负数"


class FieldCheckConstraint(models.CheckConstraint):
    """A CheckConstraint whose validation error belongs to `field` (Django's is a non-field error,
    shown above the form). The database sees the same check, and the migrations the same
    `django.db.models.CheckConstraint`.

    Without a message of its own it says `fallback` (a text, or a function of the model giving one)
    under the field, not Django's 约束“…”是无效的 with the constraint's internal name; like `field`,
    the fallback is not part of the migrations."""

    def __init__(self, *, field: str, fallback: str | Callable[[type[models.Model]], str], **kwargs):
        super().__init__(**kwargs)
        self.field = field
        self.fallback = fallback

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as refused:
            error = refused
            if self.violation_error_message == self.default_violation_error_message:
                message = self.fallback(model) if callable(self.fallback) else self.fallback
                error = ValidationError(message, code=self.violation_error_code)
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        _, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def clone(self):
        _, args, kwargs = self.deconstruct()
        return type(self)(*args, field=self.field, fallback=self.fallback, **kwargs)


def _check(
    field: str,
    condition: Q,
    *,
    nullable: bool,
    name: str,
    message: str | None,
    fallback: str | Callable[[type[models.Model]], str],
) -> FieldCheckConstraint:
    """`condition` on `field`, which may also be empty if `nullable` (written as the migrations have it:
    `Q(field__isnull=True) | condition`); its error is `field`'s, `fallback` without a `message`."""
    if nullable:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return FieldCheckConstraint(
        field=field, fallback=fallback, condition=condition, name=name, violation_error_message=message
    )


def not_before(
    field: str, start_field: str, *, name: str, message: str | None = None, nullable: bool = True
) -> FieldCheckConstraint:
    """`field` (an end, a closing or due date) is empty (if `nullable`) or not before `start_field`."""
    return _check(
        field,
        Q(**{f"{field}__gte": F(start_field)}),
        nullable=nullable,
        name=name,
        message=message,
        fallback=lambda model: f"不能早于{model._meta.get_field(start_field).verbose_name}",
    )


def first_day_of_month(
    field: str, *, name: str, message: str | None = None, nullable: bool = False
) -> FieldCheckConstraint:
    """A month stored as its first day (月份应记为当月1日)."""
    return _check(
        field,
        Q(**{f"{field}__day": 1}),
        nullable=nullable,
        name=name,
        message=message,
        fallback="应为当月1日",
    )


def at_least(
    field: str, minimum: int, *, name: str, message: str | None = None, nullable: bool = False
) -> FieldCheckConstraint:
    """`field` is empty (if `nullable`) or `minimum` or more (a year from 2015, a sequence from 1)."""
    return _check(
        field,
        Q(**{f"{field}__gte": minimum}),
        nullable=nullable,
        name=name,
        message=message,
        fallback=f"不能小于{minimum}",
    )


def not_negative(
    field: str, *, name: str, message: str | None = None, nullable: bool = False
) -> FieldCheckConstraint:
    """An amount or a count that is empty (if `nullable`) or zero or more."""
    return _check(
        field,
        Q(**{f"{field}__gte": 0}),
        nullable=nullable,
        name=name,
        message=message,
        fallback=NEGATIVE_MESSAGE,
    )


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


def bound_messages(model_field) -> dict[str, str]:
    """The messages of a model field's MinValueValidator / MaxValueValidator that were given one of their
    own (队员人数不能为负数), keyed as form and serializer fields key them ("min_value", "max_value"): a
    form's and the API's bound check say them in place of the stock 不能小于0 (core.forms, core.api)."""
    messages = {}
    for validator in getattr(model_field, "validators", ()):
        for bound, kind in ((MinValueValidator, "min_value"), (MaxValueValidator, "max_value")):
            if isinstance(validator, bound) and "message" in vars(validator):
                messages[kind] = validator.message
    return messages
