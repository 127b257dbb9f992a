"""Records that still run for a person (grants, placements, employment), offered for ending when the
person dies, moves out or is cancelled.

The registry must not import the domains (layers point down), so each domain app registers a
provider in its AppConfig.ready(); the registry's status change asks every provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from registry.models import Person


@dataclass(frozen=True)
class RunningRecord:
    provider: str
    pk: int
    label: str
    ends_as: str  # how ending it reads on the form, e.g. "结束月份为变更当月"

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.pk}"


class RunningRecordProvider(Protocol):
    key: str
    title: str

    def list_running(self, person: Person, after: dt.date) -> list[RunningRecord]:
        """The person's records that still run after `after` (not ended by then)."""

    def end(self, pks: list[int], *, person: Person, on_date: dt.date, acting_user) -> None:
        """End these records of the person on `on_date` (grants at its month, records at the date)."""


_providers: dict[str, RunningRecordProvider] = {}


def register(provider: RunningRecordProvider) -> None:
    _providers[provider.key] = provider


def providers() -> list[RunningRecordProvider]:
    return list(_providers.values())


def running_records(person: Person, after: dt.date) -> list[RunningRecord]:
    records: list[RunningRecord] = []
    for provider in providers():
        records += provider.list_running(person, after)
    return records


def end_records(*, person: Person, keys: Collection[str], on_date: dt.date, acting_user) -> int:
    """End the chosen running records; a key that is not a running record of the person is refused."""
    chosen: dict[str, list[int]] = {}
    for key in keys:
        provider_key, _, pk = key.partition(":")
        if provider_key not in _providers or not pk.isdigit():
            raise ValidationError({"end_records": "要结束的记录无效"})
        chosen.setdefault(provider_key, []).append(int(pk))
    for provider_key, pks in chosen.items():
        _providers[provider_key].end(pks, person=person, on_date=on_date, acting_user=acting_user)
    return sum(len(pks) for pks in chosen.values())
