"""Reads for the register's pages and API: scoped querysets and the change history of a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet

from core.models import Community, CommunityWorker, Street
from registry.models import Person, Survey, mask_bank_account

_FK_MODELS = {"street": Street, "community": Community, "person": Person}


def person_list(*, user) -> QuerySet[Person]:
    """The persons the user may see, with what a list row shows, by name.

    Ordering by (name, id) walks the name index: the first page of a million persons takes milliseconds,
    where ordering by the street's position first would sort the whole table.
    """
    return Person.objects.for_user(user).select_related("street", "community").order_by("name", "id")


def person_get_queryset(*, user) -> QuerySet[Person]:
    """The scoped queryset to look a person up by pk (another street's person is a 404)."""
    return Person.objects.for_user(user).select_related("street", "community")


def survey_get_queryset(*, user) -> QuerySet[Survey]:
    return Survey.objects.for_user(user).select_related("person", "person__street")


DUPLICATE_ELSEWHERE_MESSAGE = "该公民身份号码已在其他街道登记"


@dataclass(frozen=True)
class DuplicateId:
    """An ID number already registered: the message every door shows (form, API, import) and, when
    the user may open that person, the person to link to."""

    message: str
    person: Person | None


def duplicate_id(*, id_number: str, user, exclude_pk: int | None = None) -> DuplicateId | None:
    """The one place of the duplicate-ID message: "该公民身份号码已登记：某某（宁海路街道）" for a person the
    user may see, "该公民身份号码已在其他街道登记" for one he may not (nothing else is revealed)."""
    existing = (
        Person.objects.filter(id_number=id_number).exclude(pk=exclude_pk).select_related("street").first()
    )
    if existing is None:
        return None
    if Person.objects.for_user(user).filter(pk=existing.pk).exists():
        return DuplicateId(f"该公民身份号码已登记：{existing.name}（{existing.street.name}）", existing)
    return DuplicateId(DUPLICATE_ELSEWHERE_MESSAGE, None)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: Any
    who: str
    action: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)


_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


def _display(model, field_name: str, value, fk_names: dict) -> str:
    if value is None or value == "":
        return "（空）"
    if field_name == "bank_account":
        return mask_bank_account(value)
    model_field = model._meta.get_field(field_name)
    if model_field.is_relation:
        return fk_names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _entries_for(records: list, model, subject_of, fk_names: dict) -> list[HistoryEntry]:
    """Diff each historical record against the previous one of the same object (records sorted oldest first)."""
    entries = []
    previous_by_object: dict[int, Any] = {}
    for record in records:
        previous = previous_by_object.get(record.id)
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                changes.append(
                    FieldChange(
                        label=str(model._meta.get_field(change.field).verbose_name),
                        old=_display(model, change.field, change.old, fk_names),
                        new=_display(model, change.field, change.new, fk_names),
                    )
                )
        previous_by_object[record.id] = record
        if record.history_type == "~" and previous is not None and not changes:
            continue  # a save that changed nothing visible
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "系统",
                action=_ACTIONS.get(record.history_type, record.history_type),
                subject=subject_of(record),
                changes=changes,
            )
        )
    return entries


def person_history(*, person: Person) -> list[HistoryEntry]:
    """The person's changes and those of his surveys, newest first, in a fixed number of queries."""
    person_records = list(
        Person.history.filter(id=person.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    survey_records = list(
        Survey.history.filter(person_id=person.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fk_names = _foreign_key_names(person_records)
    entries = _entries_for(person_records, Person, lambda r: "人员信息", fk_names)
    entries += _entries_for(survey_records, Survey, lambda r: f"{r.year}年度调查", fk_names)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _foreign_key_names(person_records: list) -> dict:
    """Names of the streets and communities that appear in the records: two small queries."""
    street_ids = {r.street_id for r in person_records if r.street_id}
    community_ids = {r.community_id for r in person_records if r.community_id}
    names = {}
    if street_ids:
        names.update({(Street, s.pk): s.name for s in Street.objects.filter(pk__in=street_ids)})
    if community_ids:
        names.update({(Community, c.pk): c.name for c in Community.objects.filter(pk__in=community_ids)})
    return names


# The roster of 专职委员 -------------------------------------------------------------------------

# The plan: "持证残疾人数超过1500名的社区配备2名以上专职委员".
ROSTER_LARGE_COMMUNITY_HOLDERS = 1500
ROSTER_LARGE_COMMUNITY_MIN_WORKERS = 2


class RosterFlag(models.TextChoices):
    NONE = "none", "没有在岗专职委员"
    SHORT = "short", "持证人数超过1500名，在岗专职委员不足2名"
    OK = "", ""


def roster_flag(*, holders: int, active_workers: int) -> RosterFlag:
    """The plan's rule for one community: none in post, or more than 1,500 holders and fewer than 2."""
    if active_workers == 0:
        return RosterFlag.NONE
    if holders > ROSTER_LARGE_COMMUNITY_HOLDERS and active_workers < ROSTER_LARGE_COMMUNITY_MIN_WORKERS:
        return RosterFlag.SHORT
    return RosterFlag.OK


@dataclass
class RosterRow:
    community: Community
    holders: int
    active_workers: int
    flag: RosterFlag
    workers: list[CommunityWorker] = field(default_factory=list)

    @property
    def flag_label(self) -> str:
        return self.flag.label


def community_roster(*, user, on: dt.date, with_workers: bool = False) -> list[RosterRow]:
    """Communities of the user's scope with their holders (persons in the register on `on`), their
    专职委员 in post on `on` and the roster check, by street and name.

    Set-based: one GROUP BY over the register for every community at once (a correlated count per
    community would read the register once per community), one query for the communities with their
    active count, and with `with_workers` one for the names in post."""
    communities = list(
        Community.objects.for_user(user)
        .select_related("street")
        .annotate(active_workers=Count("workers", filter=_active_worker_q(on)))
        .order_by("street__order", "name", "pk")
    )
    holders = dict(
        Person.objects.in_registry_on(on)
        .filter(community__in=Community.objects.for_user(user))
        .order_by()
        .values_list("community")
        .annotate(n=Count("pk"))
    )
    in_post: dict[int, list[CommunityWorker]] = {}
    if with_workers:
        for worker in CommunityWorker.objects.active_on(on).filter(community__in=[c.pk for c in communities]):
            in_post.setdefault(worker.community_id, []).append(worker)
    return [
        RosterRow(
            community=c,
            holders=holders.get(c.pk, 0),
            active_workers=c.active_workers,
            flag=roster_flag(holders=holders.get(c.pk, 0), active_workers=c.active_workers),
            workers=sorted(in_post.get(c.pk, []), key=lambda w: (w.since, w.pk)),
        )
        for c in communities
    ]


def _active_worker_q(on: dt.date) -> Q:
    return Q(workers__since__lte=on) & (Q(workers__until__isnull=True) | Q(workers__until__gte=on))


def community_roster_flagged(*, user, on: dt.date) -> list[RosterRow]:
    """The communities the roster check flags (none in post, or a large community short of 2)."""
    return [row for row in community_roster(user=user, on=on) if row.flag != RosterFlag.OK]
