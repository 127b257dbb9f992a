"""Reads of the payment rolls: the roll as it would be built now, totals, pages' querysets."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from core.models import Street
from core.periods import first_of_month, today
from core.roles import sees_all_streets
from payments import rules, rules_sql
from payments.models import (
    APPROVED_STATES,
    ROLL_KINDS,
    HeldItem,
    HeldReason,
    Recovery,
    Roll,
    RollLine,
    RollState,
    Standard,
)

ZERO = Decimal("0.00")


def standard_in_force(kind: str, month: dt.date) -> Decimal | None:
    """The monthly amount of the standard of `kind` in force in `month` (one query), or None."""
    return (
        Standard.objects.filter(kind=kind, effective_month__lte=month)
        .order_by("-effective_month")
        .values_list("monthly_amount", flat=True)
        .first()
    )


def rolls(*, user) -> QuerySet[Roll]:
    """The rolls the user may open."""
    return Roll.objects.for_user(user).select_related("street")


def recoveries(*, user) -> QuerySet[Recovery]:
    """The recoveries of the user's rolls."""
    return Recovery.objects.for_user(user)


def recovery_ledger(*, user) -> QuerySet[Recovery]:
    """The 追回 ledger of the user's rolls."""
    return Recovery.objects.for_user(user).ledger()


def rolls_to_do(user) -> QuerySet[Roll]:
    """工作台: a clerk's draft of this month (to submit), the submitted rolls for staff (to approve)."""
    if sees_all_streets(user):
        return Roll.objects.for_user(user).filter(state=RollState.SUBMITTED)
    return Roll.objects.for_user(user).filter(state=RollState.DRAFT, month=first_of_month(today()))


def _money(value: Decimal | None) -> str:
    return f"{(value or ZERO).quantize(Decimal('0.01'))}"


def _python_results(month: dt.date, street: Street | None):
    """The Python engine's results as (what, ID number, name, street id, kind, month, amount, reason,
    type) rows, in the order of rules_sql.rows."""
    lines, held, recoveries = [], [], []
    for result in rules.compute(month, street):
        lines += [
            ("line", x.id_number, x.name, x.street_id, x.kind, x.month, x.amount, None, str(x.type))
            for x in result.lines
        ]
        held += [
            ("held", x.id_number, x.name, x.street_id, x.kind, x.month, None, str(x.reason), None)
            for x in result.held
        ]
        recoveries += [
            ("recovery", x.id_number, x.name, x.street_id, x.kind, x.month, x.amount, None, None)
            for x in result.recoveries
        ]
    return [*lines, *held, *recoveries]


def preview(month: dt.date, street: Street | None = None, *, engine: str | None = None) -> dict:
    """The roll of `month` as it would be built now (saves nothing), in the shape of `payment_roll --json`.

    PostgreSQL computes it in one statement (payments.rules_sql); elsewhere the Python engine
    (payments.rules) does. `engine` ("sql" or "python") forces one (the tests compare them)."""
    street_names = dict(Street.objects.values_list("pk", "name"))
    labels = {kind.value: kind.label for kind in ROLL_KINDS}
    reasons = dict(HeldReason.choices)
    lines, held, recoveries = [], [], []
    by_kind = {kind.value: {"lines": 0, "amount": ZERO} for kind in ROLL_KINDS}
    total = ZERO
    if (engine or ("sql" if rules_sql.available() else "python")) == "sql":
        rows = rules_sql.rows(month.replace(day=1), street)
    else:
        rows = _python_results(month.replace(day=1), street)
    for what, id_number, name, street_id, kind, row_month, amount, reason, line_type in rows:
        if what == "line":
            lines.append(
                {
                    "id_number": id_number,
                    "name": name,
                    "street": street_names[street_id],
                    "kind": labels[kind],
                    "month": f"{row_month:%Y-%m}",
                    "amount": _money(amount),
                    "type": line_type,
                }
            )
            by_kind[kind]["lines"] += 1
            by_kind[kind]["amount"] += amount
            total += amount
        elif what == "held":
            held.append(
                {
                    "id_number": id_number,
                    "kind": labels[kind],
                    "month": f"{row_month:%Y-%m}",
                    "reason": reason,
                    "message": reasons[reason],
                }
            )
        else:
            recoveries.append(
                {
                    "id_number": id_number,
                    "kind": labels[kind],
                    "month": f"{row_month:%Y-%m}",
                    "amount": _money(amount),
                }
            )
    return {
        "month": f"{month:%Y-%m}",
        "street": street.name if street is not None else None,
        "lines": lines,
        "held": held,
        "recoveries": recoveries,
        "totals": {
            "lines": len(lines),
            "amount": _money(total),
            "by_kind": {
                labels[kind]: {"lines": value["lines"], "amount": _money(value["amount"])}
                for kind, value in by_kind.items()
            },
        },
    }


def roll_totals(roll: Roll) -> dict:
    """Lines, amount and per-kind totals of a saved roll, computed by the database."""
    rows = RollLine.objects.filter(roll=roll).values("kind").annotate(lines=Count("id"), amount=Sum("amount"))
    labels = {kind.value: kind.label for kind in ROLL_KINDS}
    by_kind = {labels[row["kind"]]: {"lines": row["lines"], "amount": row["amount"]} for row in rows}
    return {
        "lines": sum(v["lines"] for v in by_kind.values()),
        "amount": sum((v["amount"] for v in by_kind.values()), ZERO),
        "by_kind": by_kind,
        "held": HeldItem.objects.filter(roll=roll).count(),
        "recoveries": Recovery.objects.filter(roll=roll).aggregate(count=Count("id"), amount=Sum("amount")),
        "failed": RollLine.objects.filter(roll=roll, failed=True).count(),
        "arrears": RollLine.objects.filter(roll=roll, type="arrears").count(),
    }


def month_overview(month: dt.date, user) -> list[dict]:
    """Every street (of the user's scope) with its roll of `month`, its state and totals."""
    rolls = {roll.street_id: roll for roll in Roll.objects.for_user(user).filter(month=month)}
    totals = {
        row["roll_id"]: row
        for row in RollLine.objects.filter(roll__in=rolls.values())
        .values("roll_id")
        .annotate(lines=Count("id"), amount=Sum("amount"))
    }
    result = []
    for street in Street.objects.for_user(user):
        roll = rolls.get(street.pk)
        row = totals.get(roll.pk) if roll else None
        result.append(
            {
                "street": street,
                "roll": roll,
                "lines": row["lines"] if row else 0,
                "amount": row["amount"] if row else ZERO,
            }
        )
    return result


def totals_by_month_street_kind(year: int) -> list[dict]:
    """Officials' view: approved roll totals by month, street and kind (no lines, no names)."""
    rows = (
        RollLine.objects.filter(roll__state__in=APPROVED_STATES, roll__month__year=year)
        .values("roll__month", "roll__street__name", "roll__street__order", "kind")
        .annotate(lines=Count("id"), amount=Sum("amount"))
        .order_by("roll__month", "roll__street__order", "kind")
    )
    labels = {kind.value: kind.label for kind in ROLL_KINDS}
    return [
        {
            "month": f"{row['roll__month']:%Y-%m}",
            "street": row["roll__street__name"],
            "kind": labels.get(row["kind"], row["kind"]),
            "lines": row["lines"],
            "amount": row["amount"],
        }
        for row in rows
    ]


def monthly_amounts(rows: list[dict]) -> dict:
    """Chart data: months, and per kind the amount of each month."""
    months = sorted({row["month"] for row in rows})
    series: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        series[row["kind"]][row["month"]] += row["amount"]
    return {
        "months": months,
        "series": [
            {"name": kind, "data": [float(values.get(m, 0)) for m in months]}
            for kind, values in series.items()
        ],
    }


def lines_of(roll: Roll) -> QuerySet[RollLine]:
    # lines are written in ID-number order, so their ids give that order without a sort
    return RollLine.objects.filter(roll=roll).select_related("person").order_by("id")
