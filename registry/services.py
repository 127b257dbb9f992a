"""Writes to the register: every page, API view and admin form goes through these functions.

Each one validates with `full_clean()` (the Chinese messages of the models' `clean()`), checks that the
acting user may write in the record's street, saves in a transaction and records the acting user in
the history (django-simple-history reads `_history_user`).

The Excel imports (sheets/engine.py for the page, the command and Celery; the resources' row-by-row
path for the admin) do not call them: they write in bulk. They hold the same rules where both pass:
the models' `clean()`, the street scope (checked first, with the same OTHER_STREET_MESSAGE), and a
resource's `check_rules()`, which calls the function a service calls for a rule beyond `clean()`.
A rule added here that is not in `clean()` must be added there too (tests/test_rule_parity.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from core.idnumbers import normalize_id_number
from core.models import Community, CommunityWorker, Street
from core.roles import (
    OTHER_COMMUNITY_MESSAGE,
    OTHER_STREET_MESSAGE,
    community_of,
    is_community_worker,
    may_edit_records,
    sees_all_streets,
    street_of,
)
from core.services import MESSAGE_COMMUNITY_STAFF_ONLY
from registry import running
from registry.models import Person, PersonStatus, Survey
from registry.selectors import duplicate_id

# Fields a person_update may change; status has its own service (never a hard delete).
PERSON_EDITABLE_FIELDS = (
    "id_number",
    "name",
    "certificate_number",
    "category",
    "grade",
    "issued_on",
    "street",
    "community",
    "address",
    "phone",
    "bank_name",
    "bank_account",
)
SURVEY_EDITABLE_FIELDS = (
    "household_size",
    "household_income",
    "low_income_type",
    "dibao_eligible",
    "needs_rehab",
    "needs_device",
    "needs_care",
    "needs_barrier_free",
    "education",
    "pension_insurance",
    "medical_insurance",
    "employment_status",
    "wants_work",
    "wants_training",
    "household_key",
    "multi_disabled_household",
    "elderly_carer_household",
)
_TEXT_SURVEY_FIELDS = {
    "education",
    "pension_insurance",
    "medical_insurance",
    "employment_status",
    "wants_work",
    "wants_training",
    "household_key",
}
_TEXT_PERSON_FIELDS = {"id_number", "name", "certificate_number", "category", "grade", "address", "phone"}
# Derived from the ID number, never typed: full_clean must not complain before they are derived.
_DERIVED_PERSON_FIELDS = ["sex", "birth_date"]


def ensure_may_write_street(
    *, acting_user: AbstractBaseUser, street: Street | None, community_id: int | None = None
) -> None:
    """Staff and admins write everywhere; a clerk only in his street; a community worker only in his
    community (`community_id`: the record's person's community); officials nowhere."""
    if not may_edit_records(acting_user):
        raise ValidationError("无权修改个人数据")
    if sees_all_streets(acting_user):
        return
    if street is not None:
        own = street_of(acting_user)
        if own is None or own.pk != street.pk:
            raise ValidationError({"street": OTHER_STREET_MESSAGE})
    if is_community_worker(acting_user):
        own_community = community_of(acting_user)
        if own_community is None or own_community.pk != community_id:
            raise ValidationError({"community": OTHER_COMMUNITY_MESSAGE})


def ensure_may_write_person(*, acting_user: AbstractBaseUser, person: Person) -> None:
    """The acting user may write the person's records (his street and, for a worker, community)."""
    ensure_may_write_street(
        acting_user=acting_user, street=Street(pk=person.street_id), community_id=person.community_id
    )


def _save_person(*, acting_user: AbstractBaseUser, person: Person) -> Person:
    person.id_number = normalize_id_number(person.id_number)
    duplicate = duplicate_id(id_number=person.id_number, user=acting_user, exclude_pk=person.pk)
    if duplicate is not None:
        raise ValidationError({"id_number": duplicate.message})
    person.certificate_number = normalize_id_number(person.certificate_number)
    person.name = (person.name or "").strip()
    person.phone = (person.phone or "").strip()
    person.derive_fields()
    person.full_clean(exclude=_DERIVED_PERSON_FIELDS)
    person._history_user = acting_user
    person.save()
    return person


@transaction.atomic
def person_register(
    *,
    acting_user: AbstractBaseUser,
    id_number: str,
    name: str,
    category: str,
    grade: str,
    issued_on: dt.date,
    street: Street,
    community: Community | None = None,
    certificate_number: str = "",
    address: str = "",
    phone: str = "",
    bank_name: str = "",
    bank_account: str = "",
) -> Person:
    """Register a certified person (status 正常)."""
    ensure_may_write_street(
        acting_user=acting_user, street=street, community_id=community.pk if community is not None else None
    )
    person = Person(
        id_number=id_number,
        name=name,
        certificate_number=certificate_number or "",
        category=category,
        grade=grade,
        issued_on=issued_on,
        street=street,
        community=community,
        address=address or "",
        phone=phone or "",
        bank_name=bank_name or "",
        bank_account=bank_account or "",
    )
    return _save_person(acting_user=acting_user, person=person)


@transaction.atomic
def person_update(*, acting_user: AbstractBaseUser, person: Person, **changes: Any) -> Person:
    """Change any of PERSON_EDITABLE_FIELDS; the clerk must own both the old and the new street."""
    unknown = set(changes) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    ensure_may_write_person(acting_user=acting_user, person=person)
    for field, value in changes.items():
        setattr(person, field, "" if value is None and field in _TEXT_PERSON_FIELDS else value)
    if {"id_number", "category", "grade"} & set(changes) and "certificate_number" not in changes:
        person.certificate_number = ""  # derived again from the new ID number, category and grade
    ensure_may_write_street(acting_user=acting_user, street=person.street, community_id=person.community_id)
    return _save_person(acting_user=acting_user, person=person)


@transaction.atomic
def person_change_status(
    *,
    acting_user: AbstractBaseUser,
    person: Person,
    status: str,
    changed_on: dt.date | None = None,
    end_records: Collection[str] = (),
) -> Person:
    """注销 / 死亡 / 迁出 with the date it happened, or back to 正常 (the date is then cleared).

    `end_records` (keys of registry.running records) are ended in the same transaction: grants at
    the month of the change, placements and employment at its date.
    """
    ensure_may_write_person(acting_user=acting_user, person=person)
    if status not in PersonStatus.values:
        raise ValidationError({"status": "人员状态无效"})
    if status == person.status and (status == PersonStatus.ACTIVE or changed_on == person.status_changed_on):
        raise ValidationError({"status": "人员状态没有变化"})
    person.status = status
    person.status_changed_on = None if status == PersonStatus.ACTIVE else changed_on
    person = _save_person(acting_user=acting_user, person=person)
    if end_records and status != PersonStatus.ACTIVE:
        running.end_records(
            person=person, keys=end_records, on_date=person.status_changed_on, acting_user=acting_user
        )
    return person


def _save_survey(*, acting_user: AbstractBaseUser, survey: Survey) -> Survey:
    survey.full_clean()
    survey._history_user = acting_user
    survey.save()
    return survey


def _apply_survey_fields(survey: Survey, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SURVEY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"survey fields unknown: {sorted(unknown)}")
    for field, value in fields.items():
        if value is None and field in _TEXT_SURVEY_FIELDS:
            value = ""
        if field == "household_income" and value is not None and not isinstance(value, Decimal):
            value = Decimal(str(value))
        setattr(survey, field, value)


@transaction.atomic
def survey_create(*, acting_user: AbstractBaseUser, person: Person, year: int, **fields: Any) -> Survey:
    """Record the person's annual survey for `year` (one per person and year)."""
    ensure_may_write_person(acting_user=acting_user, person=person)
    survey = Survey(person=person, year=year)
    _apply_survey_fields(survey, fields)
    return _save_survey(acting_user=acting_user, survey=survey)


@transaction.atomic
def survey_update(*, acting_user: AbstractBaseUser, survey: Survey, **fields: Any) -> Survey:
    """Correct an annual survey; its person and year stay fixed."""
    ensure_may_write_person(acting_user=acting_user, person=survey.person)
    _apply_survey_fields(survey, fields)
    return _save_survey(acting_user=acting_user, survey=survey)


@transaction.atomic
def community_merge(*, acting_user: AbstractBaseUser, source: Community, target: Community) -> dict[str, int]:
    """Fold `source` (e.g. a typo created by an import) into `target` of the same street: every person,
    user profile and roster entry referring to it moves to `target` (each change in its history with
    the acting user), then `source` is deleted (its history keeps it). Returns the numbers moved."""
    from core.models import UserProfile
    from sheets.bulkwrite import update_with_history

    if not sees_all_streets(acting_user):
        raise ValidationError(MESSAGE_COMMUNITY_STAFF_ONLY)
    if source.pk == target.pk:
        raise ValidationError("不能把社区合并到它自己")
    if source.street_id != target.street_id:
        raise ValidationError("只能合并同一街道的社区")
    reason = f"社区合并：{source.name} → {target.name}"
    persons = list(Person.objects.select_for_update().filter(community=source))
    for person in persons:
        person.community = target
    update_with_history(Person, persons, ["community"], user=acting_user, change_reason=reason)
    moved = {"persons": len(persons), "profiles": 0, "workers": 0}
    for model, key in ((UserProfile, "profiles"), (CommunityWorker, "workers")):
        for obj in model.objects.select_for_update().filter(community=source):
            obj.community = target
            obj._history_user = acting_user
            obj._change_reason = reason
            obj.save(update_fields=["community"])
            moved[key] += 1
    source._history_user = acting_user
    source._change_reason = reason
    source.delete()
    return moved
