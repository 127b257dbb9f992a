"""Write helpers shared by the domain apps' services: validate, record the acting user, save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db import models


def save_validated(instance: models.Model, *, acting_user: AbstractBaseUser | None) -> models.Model:
    """full_clean, then save with the acting user recorded by django-simple-history."""
    instance.full_clean()
    instance._history_user = acting_user
    instance.save()
    return instance


def apply_changes(instance: models.Model, changes: dict[str, Any], allowed: frozenset[str]) -> None:
    """Set the changed fields; a field a service does not let change here is a programming error."""
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"fields that cannot be changed here: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(instance, name, value)
