"""Writes of the payment rolls: standards, build, submit, approve/return, bank file, return file, recoveries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Street
from core.periods import first_of_month, today
from core.record_services import save_validated
from core.roles import sees_all_streets, street_of
from payments import rules, rules_sql
from payments.models import (
    APPROVED_STATES,
    ROLL_KINDS,
    HeldItem,
    Recovery,
    Roll,
    RollLine,
    RollState,
    Standard,
)
from registry.demo import write_rows

BATCH = 20000
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
MESSAGE_BAD_MONTH = "月份格式应为 YYYY-MM，例如 2025-03"
MESSAGE_MONTH_RANGE = "月份应在2000-01到2100-12之间"
MESSAGE_FUTURE_MONTH = "不能生成下月以后的发放名册（最晚可生成{latest:%Y-%m}）"
MESSAGE_BEFORE_HISTORY = "不能生成{street}首份已审核名册（{start:%Y-%m}）之前月份的发放名册"


# Months ---------------------------------------------------------------------------------------


def parse_month(text: str) -> dt.date:
    """`YYYY-MM` as the first day of the month; ValidationError with a Chinese message otherwise."""
    match = MONTH_RE.fullmatch((text or "").strip())
    if not match:
        raise ValidationError(MESSAGE_BAD_MONTH)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError(MESSAGE_BAD_MONTH)
    if not 2000 <= year <= 2100:  # well formed, but no roll can be for it
        raise ValidationError(MESSAGE_MONTH_RANGE)
    return dt.date(year, month, 1)


def latest_buildable_month() -> dt.date:
    return rules.add_months(first_of_month(today()), 1)


def check_buildable_month(month: dt.date) -> None:
    """A roll may be built up to next month (prepared ahead), never further."""
    latest = latest_buildable_month()
    if month > latest:
        raise ValidationError(MESSAGE_FUTURE_MONTH.format(latest=latest))


def check_within_history(street: Street, month: dt.date) -> None:
    """Once a street has an approved roll, no roll of an earlier month is built: approved, it would
    move the street's roll history back (payments.md: arrears run from the first approved roll) and
    the next roll would owe every month in between, months before the portal."""
    start = rules.history_starts().get(street.pk)
    if start is not None and month < start:
        raise ValidationError(MESSAGE_BEFORE_HISTORY.format(street=street.name, start=start))


# Standards ------------------------------------------------------------------------------------


@transaction.atomic
def standard_create(
    *, acting_user, kind: str, monthly_amount: Decimal, effective_month: dt.date, note: str = ""
) -> Standard:
    standard = Standard(kind=kind, monthly_amount=monthly_amount, effective_month=effective_month, note=note)
    return save_validated(standard, acting_user=acting_user)


@transaction.atomic
def standard_update(*, acting_user, standard: Standard, data: dict[str, Any]) -> Standard:
    allowed = {"kind", "monthly_amount", "effective_month", "note"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"不能修改以下字段：{', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(standard, name, value)
    return save_validated(standard, acting_user=acting_user)


# Who may act ----------------------------------------------------------------------------------


def may_build(user, street: Street) -> bool:
    """Build and submit: a clerk of the street, or district staff."""
    return sees_all_streets(user) or (street_of(user) is not None and street_of(user).pk == street.pk)


def may_approve(user) -> bool:
    return sees_all_streets(user)


# Building -------------------------------------------------------------------------------------


def _clear(rolls: list[Roll]) -> None:
    """Empty draft rolls before a rebuild. A draft's recoveries are provisional (they enter the
    ledger when the roll is approved), so they go without a history record each."""
    for model in (RollLine, HeldItem, Recovery):
        model.objects.filter(roll__in=rolls)._raw_delete(model.objects.db)


LINE_COLUMNS = [
    "roll_id",
    "person_id",
    "grant_id",
    "kind",
    "month",
    "amount",
    "type",
    "locked",
    "paid",
    "failed",
    "failed_reason",
]
HELD_COLUMNS = ["roll_id", "person_id", "grant_id", "kind", "month", "reason"]
RECOVERY_COLUMNS = ["roll_id", "person_id", "kind", "month", "amount"]


def _write(results, rolls_by_street: dict[int, Roll]) -> None:
    """Stream the rule engine's results into the draft rolls in batches (COPY on PostgreSQL)."""
    lines: list[tuple] = []
    held: list[tuple] = []
    owed: list[tuple] = []
    targets = (
        (lines, RollLine, LINE_COLUMNS),
        (held, HeldItem, HELD_COLUMNS),
        (owed, Recovery, RECOVERY_COLUMNS),
    )

    def flush(force: bool = False) -> None:
        for rows, model, columns in targets:
            if rows and (force or len(rows) >= BATCH):
                write_rows(model, columns, rows)
                rows.clear()

    for result in results:
        roll = rolls_by_street.get(result.street_id)
        if roll is None:
            continue  # that street's roll is submitted or approved: never overwritten
        roll_id = roll.pk
        lines += [
            (roll_id, x.person_id, x.grant_id, x.kind, x.month, x.amount, x.type, False, False, False, "")
            for x in result.lines
        ]
        held += [(roll_id, x.person_id, x.grant_id, x.kind, x.month, x.reason) for x in result.held]
        owed += [(roll_id, x.person_id, x.kind, x.month, x.amount) for x in result.recoveries]
        flush()
    flush(force=True)


def _build(
    month: dt.date,
    street: Street | None,
    rolls_by_street: dict[int, Roll],
    *,
    with_history: bool = True,
    engine: str | None = None,
) -> None:
    """Compute and write the rolls: on PostgreSQL in one statement (payments.rules_sql), elsewhere
    through the Python engine (payments.rules). `engine` ("sql" or "python") forces one (tests)."""
    if (engine or ("sql" if rules_sql.available() else "python")) == "sql":
        rules_sql.write(
            month, street, {pk: roll.pk for pk, roll in rolls_by_street.items()}, with_history=with_history
        )
    else:
        _write(rules.compute(month, street, with_history=with_history), rolls_by_street)


def _draft_for(street: Street, month: dt.date) -> Roll:
    roll, _ = Roll.objects.select_for_update().get_or_create(street=street, month=month)
    return roll


def _mark_built(roll: Roll, acting_user) -> Roll:
    roll.built_at = timezone.now()
    roll.built_by = acting_user
    roll._history_user = acting_user
    roll.save()
    return roll


@transaction.atomic
def roll_build(*, acting_user, street: Street, month: dt.date) -> Roll:
    """Build (or rebuild) the draft roll of a street; a submitted or approved roll is never overwritten."""
    month = first_of_month(month)
    check_buildable_month(month)
    if acting_user is not None and not may_build(acting_user, street):
        raise ValidationError("无权生成该街道的发放名册")
    check_within_history(street, month)
    roll = _draft_for(street, month)
    if roll.state != RollState.DRAFT:
        raise ValidationError(f"该名册{roll.get_state_display()}，不能重新生成")
    _clear([roll])
    _build(month, street, {street.pk: roll})
    return _mark_built(roll, acting_user)


@transaction.atomic
def rolls_build_all(*, month: dt.date, acting_user=None, with_history: bool = True) -> list[Roll]:
    """The draft roll of every street in one pass; streets whose roll is past draft are left alone."""
    month = first_of_month(month)
    check_buildable_month(month)
    rolls = [_draft_for(street, month) for street in Street.objects.all()]
    drafts = [roll for roll in rolls if roll.state == RollState.DRAFT]
    _clear(drafts)
    _build(month, None, {roll.street_id: roll for roll in drafts}, with_history=with_history)
    return [_mark_built(roll, acting_user) for roll in drafts]


# Workflow -------------------------------------------------------------------------------------


def _locked(roll: Roll) -> Roll:
    return Roll.objects.select_for_update().select_related("street").get(pk=roll.pk)


@transaction.atomic
def roll_submit(*, acting_user, roll: Roll) -> Roll:
    roll = _locked(roll)
    if not may_build(acting_user, roll.street):
        raise ValidationError("无权提交该街道的发放名册")
    if roll.state != RollState.DRAFT:
        raise ValidationError(f"只有草稿可以提交，该名册{roll.get_state_display()}")
    if roll.built_at is None:
        raise ValidationError("请先生成名册再提交")
    roll.state = RollState.SUBMITTED
    roll.submitted_by = acting_user
    roll.submitted_at = timezone.now()
    return save_validated(roll, acting_user=acting_user)


@transaction.atomic
def roll_approve(*, acting_user, roll: Roll) -> Roll:
    """已审核: district staff other than the submitter. The lines are locked and marked paid in the
    same transaction; the database refuses a (person, kind, month) paid by two approved rolls."""
    roll = _locked(roll)
    if not may_approve(acting_user):
        raise ValidationError("只有区残联工作人员可以审核发放名册")
    if roll.state != RollState.SUBMITTED:
        raise ValidationError(f"只有已提交的名册可以审核，该名册{roll.get_state_display()}")
    if roll.submitted_by_id == acting_user.pk:
        raise ValidationError("审核人不能是提交人：请由另一位区残联工作人员审核")
    try:
        with transaction.atomic():
            RollLine.objects.filter(roll=roll).update(locked=True, paid=True)
    except IntegrityError:
        raise ValidationError(
            "名册中有明细已由其他审核通过的名册发放（同一人员、项目、月份只能发放一次）：请退回后重新生成名册"
        ) from None
    roll.state = RollState.APPROVED
    roll.approved_by = acting_user
    roll.approved_at = timezone.now()
    roll.returned_reason = ""
    return save_validated(roll, acting_user=acting_user)


@transaction.atomic
def roll_return(*, acting_user, roll: Roll, reason: str) -> Roll:
    roll = _locked(roll)
    if not may_approve(acting_user):
        raise ValidationError("只有区残联工作人员可以退回发放名册")
    if roll.state != RollState.SUBMITTED:
        raise ValidationError(f"只有已提交的名册可以退回，该名册{roll.get_state_display()}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因"})
    roll.state = RollState.DRAFT
    roll.returned_reason = reason
    roll.submitted_by = None
    roll.submitted_at = None
    return save_validated(roll, acting_user=acting_user)


@transaction.atomic
def roll_mark_exported(*, acting_user, roll: Roll) -> Roll:
    roll = _locked(roll)
    if roll.state not in APPROVED_STATES:
        raise ValidationError("只有已审核的名册可以导出银行发放文件")
    roll.state = RollState.PAID
    roll.exported_at = timezone.now()
    roll.exported_by = acting_user
    return save_validated(roll, acting_user=acting_user)


# Recoveries -----------------------------------------------------------------------------------


@transaction.atomic
def recovery_mark_recovered(
    *, acting_user, recovery: Recovery, recovered_on: dt.date, amount: Decimal
) -> Recovery:
    recovery = Recovery.objects.select_for_update().select_related("roll").get(pk=recovery.pk)
    if recovery.roll.state not in APPROVED_STATES:
        raise ValidationError("名册审核通过后，追回事项才进入追回台账")
    if recovery.recovered_on is not None:
        raise ValidationError("该追回事项已登记追回")
    errors = {}
    if recovered_on is None:
        errors["recovered_on"] = "请填写追回日期"
    elif recovered_on > today():
        errors["recovered_on"] = "追回日期不能晚于今天"
    if amount is None or amount <= 0:
        errors["recovered_amount"] = "追回金额应大于0"
    elif amount > recovery.amount:
        errors["recovered_amount"] = f"追回金额不能超过应追回金额{recovery.amount}元"
    if errors:
        raise ValidationError(errors)
    recovery.recovered_on = recovered_on
    recovery.recovered_amount = amount
    recovery.recovered_by = acting_user
    return save_validated(recovery, acting_user=acting_user)


KIND_BY_TEXT = {
    **{kind.label: kind.value for kind in ROLL_KINDS},
    **{kind.value: kind.value for kind in ROLL_KINDS},
}
