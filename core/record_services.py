"""Write helpers every service uses: the write-scope check, validation, history with the acting user.

Services are keyword-only, take the acting user first, and raise Django's `ValidationError` with
Chinese messages (the API answers it with a 400, a form shows it next to its fields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from core.scoping import ensure_may_change

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.contrib.auth.models import AbstractBaseUser
    from django.db import models


def save_validated(instance: models.Model, *, acting_user: AbstractBaseUser | None) -> models.Model:
    """The acting user may write the record (`ensure_may_change`, the one scope rule), full_clean, then
    save with the acting user recorded by django-simple-history. `acting_user=None` is the portal
    itself (demo data, the nightly tasks): no scope applies."""
    if acting_user is not None:
        ensure_may_change(acting_user, instance)
    instance.full_clean()
    instance._history_user = acting_user
    instance.save()
    return instance


def apply_changes(instance: models.Model, changes: dict[str, Any], allowed: Collection[str]) -> None:
    """Set the changed fields; a field this service does not change is refused with its name."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(f"不能修改以下字段：{', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(instance, name, value)


def blank_for_none(changes: dict[str, Any], text_fields: Collection[str]) -> dict[str, Any]:
    """The changes with None as "" for the text fields (an API's null or an empty cell clears a text,
    which is stored as "", never NULL)."""
    return {name: "" if value is None and name in text_fields else value for name, value in changes.items()}


def save_changes(
    instance: models.Model,
    changes: dict[str, Any],
    allowed: Collection[str],
    *,
    acting_user: AbstractBaseUser | None,
) -> models.Model:
    """An update service's write when no other rule applies: `apply_changes`, then `save_validated`."""
    apply_changes(instance, changes, allowed)
    return save_validated(instance, acting_user=acting_user)


@dataclass(frozen=True)
class RecordServices:
    """A record type's create and update services, called the same way by every door that writes it
    (the API's serializers, the admin): `create(acting_user=, **values)` and
    `update(acting_user=, <record_arg>=record, **changes)`."""

    create: Callable[..., Any]
    update: Callable[..., Any]
    record_arg: str

    def create_record(self, acting_user: AbstractBaseUser | None, values: dict[str, Any]) -> Any:
        return self.create(acting_user=acting_user, **values)

    def update_record(
        self, acting_user: AbstractBaseUser | None, record: models.Model, changes: dict[str, Any]
    ) -> Any:
        return self.update(acting_user=acting_user, **{self.record_arg: record}, **changes)
