"""Records that still run for a person (grants, placements, employment), offered for ending when the
person dies, moves out or is cancelled.

The registry must not import the domains (layers point down), so each domain app with such records
names its provider class in its config, a subclass of registry.app_config.PortalAppConfig
(`running_provider = "subsidies.running.GrantProvider"`), whose ready() registers an instance; the
registry's status change asks every provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Q

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


class PeriodRecordProvider:
    """A provider of records that run from `start_field` until `end_field` (empty: still running),
    ended through the domain's service (`end_record`). A subclass names the model and the label of a
    record, and its two messages where their wording is another; a record dated by months moves the
    cut-off to the first of the month (`cutoff`)."""

    key: str
    title: str
    model: type
    start_field = "start_date"
    end_field = "end_date"
    related: tuple[str, ...] = ()
    ends_as = "结束日期为变更日期"

    @property
    def missing_message(self) -> str:
        """Some chosen records are not running."""
        return f"要结束的{self.title}不存在或已结束"

    @property
    def too_early_message(self) -> str:
        """A chosen record ("{record}") starts after the change."""
        return f"{self.title}{{record}}开始于变更日期之后，不能在该日结束"

    def cutoff(self, on_date: dt.date) -> dt.date:
        return on_date

    def label(self, record) -> str:
        raise NotImplementedError

    def end_record(self, record, *, on_date: dt.date, acting_user) -> None:
        raise NotImplementedError

    def _running(self, person, after: dt.date):
        still_running = Q(**{f"{self.end_field}__isnull": True}) | Q(
            **{f"{self.end_field}__gt": self.cutoff(after)}
        )
        return self.model.objects.filter(person=person).filter(still_running).select_related(*self.related)

    def list_running(self, person, after: dt.date) -> list[RunningRecord]:
        return [
            RunningRecord(self.key, record.pk, self.label(record), self.ends_as)
            for record in self._running(person, after).order_by(self.start_field, "id")
        ]

    def end(self, pks: list[int], *, person, on_date: dt.date, acting_user) -> None:
        records = list(self._running(person, on_date).filter(pk__in=pks))
        if len(records) != len(set(pks)):
            raise ValidationError({"end_records": self.missing_message})
        for record in records:
            if getattr(record, self.start_field) > self.cutoff(on_date):
                raise ValidationError({"end_records": self.too_early_message.format(record=record)})
            self.end_record(record, on_date=on_date, acting_user=acting_user)


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
