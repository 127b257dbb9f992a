"""Writes of 教育助学 and 送教上门. Views, the API and the admin forms call these.

Single-record rules live in the models' clean() (amount not negative, amount required unless
送教上门, no date in the future). The one rule across records, `check_person_on_date` (nothing is
dated after the person left the register: 死亡, 迁出, 注销), is called here and by the import
resources' check_rules(), so every door refuses the same record with the same message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.record_services import RecordServices, apply_changes, blank_for_none, save_validated
from education.models import EducationAid, HomeTeachingVisit
from registry.models import Person, PersonStatus

AID_FIELDS = ("stage", "school", "kind", "aid_date", "amount", "notes")
VISIT_FIELDS = ("visit_date", "teacher", "content")


def check_person_on_date(person: Person, date: dt.date | None, *, field: str) -> None:
    """A record of a person who has left the register (死亡/迁出/注销) is dated before he left."""
    if date is None or person is None or person.status == PersonStatus.ACTIVE:
        return
    changed = person.status_changed_on
    if changed is not None and date >= changed:
        raise ValidationError(
            {field: f"该人员已于{changed:%Y-%m-%d}{person.get_status_display()}，不能登记此后的记录"}
        )


def _save_dated(record, *, date_field: str, acting_user):
    """Every write of the app: the record's date passes check_person_on_date, then save_validated."""
    person = record.person if record.person_id else None  # none yet: full_clean says so
    check_person_on_date(person, getattr(record, date_field), field=date_field)
    return save_validated(record, acting_user=acting_user)


@transaction.atomic
def education_aid_create(
    *,
    acting_user,
    person: Person,
    stage: str,
    kind: str,
    aid_date: dt.date,
    amount: Decimal | None = None,
    school: str = "",
    notes: str = "",
) -> EducationAid:
    aid = EducationAid(
        person=person,
        stage=stage,
        kind=kind,
        aid_date=aid_date,
        amount=amount,
        school=school or "",
        notes=notes or "",
    )
    return _save_dated(aid, date_field="aid_date", acting_user=acting_user)


@transaction.atomic
def education_aid_update(*, acting_user, aid: EducationAid, **changes: Any) -> EducationAid:
    """Change what was recorded; the person of a record never changes."""
    changes = blank_for_none(changes, ("school", "notes"))
    apply_changes(aid, changes, AID_FIELDS)
    return _save_dated(aid, date_field="aid_date", acting_user=acting_user)


@transaction.atomic
def home_teaching_visit_create(
    *, acting_user, person: Person, visit_date: dt.date, teacher: str, content: str = ""
) -> HomeTeachingVisit:
    visit = HomeTeachingVisit(
        person=person, visit_date=visit_date, teacher=teacher or "", content=content or ""
    )
    return _save_dated(visit, date_field="visit_date", acting_user=acting_user)


@transaction.atomic
def home_teaching_visit_update(*, acting_user, visit: HomeTeachingVisit, **changes: Any) -> HomeTeachingVisit:
    changes = blank_for_none(changes, ("teacher", "content"))
    apply_changes(visit, changes, VISIT_FIELDS)
    return _save_dated(visit, date_field="visit_date", acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
EDUCATION_AID_SERVICES = RecordServices(
    create=education_aid_create, update=education_aid_update, record_arg="aid"
)
HOME_TEACHING_VISIT_SERVICES = RecordServices(
    create=home_teaching_visit_create, update=home_teaching_visit_update, record_arg="visit"
)
