"""Writes of 信访事项: intake, correction, actions and closing. Pages, the API and the admin call
these; the Excel import writes in bulk and runs the same rules (cases/resources.py: the model's
clean() and `check_rules()` -> `apply_deadline` and `check_closing`, the functions below).

Rules and where they live:
- closing needs a reply and an outcome, no deadline before receipt, the person of the case's street,
  a person or a petitioner's name: Case.clean() (every door), with constraints in the database;
- the deadline: entered, or computed from the source's DeadlineRule in working days
  (`apply_deadline`); proposals need one entered;
- an action neither before receipt nor on a closed case: CaseAction.clean();
- a case is not closed before its last action (`check_closing`), nor closed twice (`case_close`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import (
    ACTION_BEFORE_LAST,
    DEFAULT_WORKING_DAYS,
    PROPOSAL_SOURCES,
    Case,
    CaseAction,
    DeadlineRule,
)
from core.models import Street
from core.periods import today
from core.record_services import apply_changes, blank_for_none, save_validated
from core.roles import sees_all_streets
from core.scoping import ensure_may_change
from core.workdays import add_workdays
from registry.models import Person

ALREADY_CLOSED = "该事项已办结"

# The fields of 受理 (case_create's keywords); a case's update may change them and the answer.
CREATE_FIELDS = (
    "number",
    "source",
    "received_on",
    "person",
    "petitioner",
    "phone",
    "street",
    "subject",
    "category",
    "content",
    "deadline",
    "assignee",
)
UPDATABLE_FIELDS = (*CREATE_FIELDS, "reply", "replied_on", "outcome", "satisfaction")


# Deadlines -------------------------------------------------------------------------------------


def rules_by_source() -> dict[str, int]:
    """Working days of each source that has a rule (one query); a missing row has its default."""
    return {**DEFAULT_WORKING_DAYS, **dict(DeadlineRule.objects.values_list("source", "working_days"))}


def deadline_rules_ensure() -> list[DeadlineRule]:
    """The rule of every source with one, a missing row created with its default (the staff's page)."""
    stored = {rule.source: rule for rule in DeadlineRule.objects.all()}
    for source, days in DEFAULT_WORKING_DAYS.items():
        if source not in stored:
            stored[source] = DeadlineRule.objects.create(source=source, working_days=days)
    return sorted(stored.values(), key=lambda rule: rule.pk)


def deadline_for(*, source: str, received_on: dt.date, rules: dict[str, int] | None = None) -> dt.date | None:
    """The deadline by the source's rule: that many working days after the day of receipt; None for
    proposals (their deadline is entered) and for a source without a rule."""
    if source in PROPOSAL_SOURCES or received_on is None:
        return None
    days = (rules if rules is not None else rules_by_source()).get(source)
    return add_workdays(received_on, days) if days else None


def apply_deadline(case: Case, *, entered: dt.date | None, rules: dict[str, int] | None = None) -> None:
    """An entered deadline stands (a hotline's work order may carry its own date); without one the
    source's rule gives it. An entered date equal to the rule's is the rule's (an export imported
    back, a form sent back unchanged). Proposals without one are left empty for clean()'s message."""
    by_rule = deadline_for(source=case.source, received_on=case.received_on, rules=rules)
    case.deadline = entered if entered is not None else by_rule
    case.deadline_from_rule = entered is None or entered == by_rule


def check_closing(case: Case) -> None:
    """A case is not closed before its last recorded action (the service and the import)."""
    if case.closed_on is None or case.pk is None:
        return
    last = case.actions.order_by("-done_on").values_list("done_on", flat=True).first()
    if last is not None and case.closed_on < last:
        raise ValidationError({"closed_on": f"{ACTION_BEFORE_LAST}（{last:%Y-%m-%d}）"})


RULES_STAFF_ONLY = "办理时限只能由区残联工作人员修改"


@transaction.atomic
def deadline_rule_update(
    *, acting_user, rule: DeadlineRule, working_days: int, note: str = ""
) -> DeadlineRule:
    """A source's 办理时限: district staff only; cases received afterwards follow it."""
    if not sees_all_streets(acting_user):
        raise ValidationError(RULES_STAFF_ONLY)
    rule.working_days = working_days
    rule.note = (note or "").strip()
    rule.full_clean()
    rule._history_user = acting_user
    rule.save()
    return rule


def _number(case: Case) -> str:
    return f"{case.received_on:%Y}-{case.pk:06d}"


# Writes ----------------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    acting_user,
    source: str,
    received_on: dt.date,
    street: Street,
    subject: str,
    category: str,
    person: Person | None = None,
    petitioner: str = "",
    phone: str = "",
    content: str = "",
    deadline: dt.date | None = None,
    assignee: str = "",
    number: str = "",
) -> Case:
    """受理: the case with its deadline; numbered `<year>-<id>` when no number is given."""
    case = Case(
        number=(number or "").strip(),
        source=source,
        received_on=received_on,
        street=street,
        subject=subject or "",
        category=category,
        person=person,
        petitioner=petitioner or "",
        phone=phone or "",
        content=content or "",
        assignee=assignee or "",
    )
    apply_deadline(case, entered=deadline)
    save_validated(case, acting_user=acting_user)
    if not case.number:
        # the id gives the number: set on the row and on its creation history alike
        case.number = _number(case)
        Case.objects.filter(pk=case.pk).update(number=case.number)
        Case.history.filter(id=case.pk).update(number=case.number)
    return case


@transaction.atomic
def case_update(*, acting_user, case: Case, **changes: Any) -> Case:
    """Corrections (and the satisfaction answer after closing). A deadline left empty follows the
    source's rule again; a rule deadline follows a changed source or day of receipt, and otherwise
    stays as it was computed (a rule changed since applies to cases received afterwards)."""
    ensure_may_change(acting_user, case)  # as stored, before the changes move it
    changes = blank_for_none(changes, ("number", "petitioner", "phone", "content", "assignee", "reply"))
    # the page's form sends every field back: only a changed value moves the rule deadline
    moved = any(
        name in changes and changes[name] != getattr(case, name) for name in ("source", "received_on")
    )
    entered = changes.pop("deadline", case.deadline if not case.deadline_from_rule else None)
    if changes.get("satisfaction") in (None, ""):
        changes.pop("satisfaction", None)
    kept = case.deadline_from_rule and not moved and entered in (None, case.deadline)
    apply_changes(case, changes, UPDATABLE_FIELDS)
    if not kept:
        apply_deadline(case, entered=entered)
    if not case.number:
        case.number = _number(case)
    check_closing(case)
    return save_validated(case, acting_user=acting_user)


@transaction.atomic
def case_close(
    *,
    acting_user,
    case: Case,
    reply: str,
    outcome: str,
    closed_on: dt.date | None = None,
    replied_on: dt.date | None = None,
    satisfaction: str = "",
) -> Case:
    """办结: a reply to the petitioner and an outcome are required (Case.clean())."""
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    ensure_may_change(acting_user, case)
    if case.closed_on is not None:
        raise ValidationError(ALREADY_CLOSED)
    case.reply = reply or ""
    case.outcome = outcome or ""
    case.closed_on = closed_on or today()
    case.replied_on = replied_on or case.closed_on
    if satisfaction:
        case.satisfaction = satisfaction
    check_closing(case)
    return save_validated(case, acting_user=acting_user)


@transaction.atomic
def case_action_add(*, acting_user, case: Case, done_on: dt.date | None = None, note: str) -> CaseAction:
    """A dated action with its notes; refused on a closed case and before receipt (CaseAction.clean())."""
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    action = CaseAction(case=case, done_on=done_on or today(), note=note or "", by=acting_user)
    return save_validated(action, acting_user=acting_user)
