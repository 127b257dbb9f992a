"""Writes to the register: every page, API view and admin form goes through these functions.

Each one checks that the acting user may write the record (core.scoping.ensure_may_change, the one
scope rule of every door), validates with `full_clean()` (the Chinese messages of the models'
`clean()`), saves in a transaction and records the acting user in the history.

The Excel imports (sheets/engine.py for the page, the command and Celery; the resources' row-by-row
path for the admin) do not call them: they write in bulk. They hold the same rules where both pass:
the models' `clean()`, the scope (ensure_may_change, checked first, with the same message), and a
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
from core.record_services import apply_changes, blank_for_none, save_validated
from core.roles import (
    sees_all_streets,
)
from core.scoping import ensure_may_change
from core.services import MESSAGE_COMMUNITY_STAFF_ONLY
from registry import running
from registry.models import (
    PERSON_BANK_FIELDS,
    PERSON_FIELDS,
    SURVEY_ANSWER_FIELDS,
    Person,
    PersonStatus,
    Survey,
)
from registry.selectors import duplicate_id

# Fields a person_update may change; status has its own service (never a hard delete).
PERSON_EDITABLE_FIELDS = (*PERSON_FIELDS, *PERSON_BANK_FIELDS)
SURVEY_EDITABLE_FIELDS = SURVEY_ANSWER_FIELDS
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


def _save_person(*, acting_user: AbstractBaseUser, person: Person) -> Person:
    ensure_may_change(acting_user, person)  # first: another street's person is told nothing else
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
    ensure_may_change(acting_user, person)  # the old street; _save_person checks the new one
    changes = blank_for_none(changes, _TEXT_PERSON_FIELDS)
    apply_changes(person, changes, PERSON_EDITABLE_FIELDS)
    if {"id_number", "category", "grade"} & set(changes) and "certificate_number" not in changes:
        person.certificate_number = ""  # derived again from the new ID number, category and grade
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
    ensure_may_change(acting_user, person)
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


def _apply_survey_fields(survey: Survey, fields: dict[str, Any]) -> None:
    fields = blank_for_none(fields, _TEXT_SURVEY_FIELDS)
    income = fields.get("household_income")
    if income is not None and not isinstance(income, Decimal):
        fields["household_income"] = Decimal(str(income))
    apply_changes(survey, fields, SURVEY_EDITABLE_FIELDS)


@transaction.atomic
def survey_create(*, acting_user: AbstractBaseUser, person: Person, year: int, **fields: Any) -> Survey:
    """Record the person's annual survey for `year` (one per person and year)."""
    survey = Survey(person=person, year=year)
    ensure_may_change(acting_user, survey)  # before any field is read: another street is told nothing
    _apply_survey_fields(survey, fields)
    return save_validated(survey, acting_user=acting_user)


@transaction.atomic
def survey_update(*, acting_user: AbstractBaseUser, survey: Survey, **fields: Any) -> Survey:
    """Correct an annual survey; its person and year stay fixed."""
    ensure_may_change(acting_user, survey)
    _apply_survey_fields(survey, fields)
    return save_validated(survey, acting_user=acting_user)


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
