"""The rules of payments.md: which (person, kind, month) is due, at what amount, and what is owed.

One pass over three streams sorted by ID number (grants due in the window, lines already paid by
approved rolls, recoveries already in the ledger), merged person by person: a constant number of
queries for a street or the whole district, and memory that holds one person at a time.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Min, Q

from payments.models import ROLL_KINDS, HeldReason, LineType, Recovery, Roll, RollLine, Standard
from registry.models import PersonStatus, Street
from subsidies.models import Grant, GrantKind

CHUNK = 5000
ZERO = Decimal("0.00")


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class Line:
    person_id: int
    grant_id: int
    street_id: int
    id_number: str
    name: str
    kind: str
    month: dt.date
    amount: Decimal
    type: str


@dataclass(frozen=True)
class Held:
    person_id: int
    grant_id: int
    street_id: int
    id_number: str
    name: str
    kind: str
    month: dt.date
    reason: str


@dataclass(frozen=True)
class Owed:
    """A recovery item: paid by an approved roll, not (or less) due as known now."""

    person_id: int
    street_id: int
    id_number: str
    name: str
    kind: str
    month: dt.date
    amount: Decimal


@dataclass
class PersonResult:
    street_id: int
    lines: list[Line] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    recoveries: list[Owed] = field(default_factory=list)


@dataclass(frozen=True)
class _Grant:
    id: int
    person_id: int
    kind: str
    start_month: dt.date
    end_month: dt.date | None
    monthly_amount: Decimal | None
    street_id: int
    id_number: str
    name: str
    issued_on: dt.date
    status: str
    status_changed_on: dt.date | None

    def due_in(self, month: dt.date) -> bool:
        """Conditions 2–4 of payments.md (condition 1, the kind, is in the query)."""
        if self.kind == GrantKind.TEMPORARY_AID:
            # one-off: paid in its own month only
            in_period = self.start_month == month
        else:
            in_period = self.start_month <= month and (self.end_month is None or self.end_month >= month)
        if not in_period or self.issued_on > last_day(month):
            return False
        # the month of death, move-out or cancellation is still paid; the next is not
        return self.status == PersonStatus.ACTIVE or (
            self.status_changed_on is not None and self.status_changed_on >= month
        )


class Standards:
    """The standard in force in a month: the latest effective month ≤ that month (one query)."""

    def __init__(self) -> None:
        by_kind: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for kind, month, amount in Standard.objects.order_by("effective_month").values_list(
            "kind", "effective_month", "monthly_amount"
        ):
            by_kind[kind].append((month, amount))
        self._months = {kind: [m for m, _ in rows] for kind, rows in by_kind.items()}
        self._amounts = {kind: [a for _, a in rows] for kind, rows in by_kind.items()}

    def in_force(self, kind: str, month: dt.date) -> Decimal | None:
        months = self._months.get(kind)
        if not months:
            return None
        index = bisect.bisect_right(months, month) - 1
        return self._amounts[kind][index] if index >= 0 else None


def history_starts() -> dict[int, dt.date]:
    """Each street's roll history starts at its first approved roll (one query)."""
    return dict(
        Roll.objects.approved()
        .values("street_id")
        .annotate(first=Min("month"))
        .values_list("street_id", "first")
    )


def _window(month: dt.date, start: dt.date | None) -> list[dt.date]:
    if start is None or start > month:
        return [month]
    return months_between(start, month)


def compute(
    month: dt.date, street: Street | None = None, *, with_history: bool = True
) -> Iterator[PersonResult]:
    """The roll of `month` for one street (or every street), person by person, ordered by ID number.

    `with_history=False` leaves out arrears and recoveries (only the month itself): for loading past
    months in order, where nothing can be owed yet (the demo data).
    """
    month = month.replace(day=1)
    standards = Standards()
    starts = history_starts() if with_history else {}
    if street is not None:
        relevant = [starts[street.pk]] if street.pk in starts else []
    else:
        relevant = list(starts.values())
    window_start = min([month, *relevant])
    person_filter = Q(person__street=street) if street is not None else Q()

    grants = (
        Grant.objects.filter(person_filter, kind__in=ROLL_KINDS, start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=window_start))
        .filter(person__issued_on__lte=last_day(month))
        .filter(Q(person__status=PersonStatus.ACTIVE) | Q(person__status_changed_on__gte=window_start))
        .order_by("person__id_number", "kind", "id")
        .values_list(
            "id",
            "person_id",
            "kind",
            "start_month",
            "end_month",
            "monthly_amount",
            "person__street_id",
            "person__id_number",
            "person__name",
            "person__issued_on",
            "person__status",
            "person__status_changed_on",
        )
    )
    paid = (
        RollLine.objects.filter(person_filter, paid=True, month__gte=window_start, month__lte=month)
        .order_by("person__id_number", "kind", "month")
        .values_list(
            "person__id_number", "person_id", "person__street_id", "person__name", "kind", "month", "amount"
        )
    )
    ledger = (
        Recovery.objects.ledger()
        .filter(person_filter, month__gte=window_start, month__lte=month)
        .order_by("person__id_number", "kind", "month")
        .values_list("person__id_number", "kind", "month", "amount")
    )
    grant_rows = (_Grant(*row) for row in grants.iterator(chunk_size=CHUNK))
    streams = (
        ((g.id_number, 0, g) for g in grant_rows),
        ((row[0], 1, row) for row in paid.iterator(chunk_size=CHUNK)),
        ((row[0], 2, row) for row in ledger.iterator(chunk_size=CHUNK)),
    )
    merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]))
    for _id_number, items in groupby(merged, key=lambda item: item[0]):
        result = _person_roll(month, list(items), standards, starts)
        if result is not None:
            yield result


def _person_roll(month: dt.date, items: list, standards: Standards, starts: dict) -> PersonResult | None:
    grants: list[_Grant] = [row for _, source, row in items if source == 0]
    paid_rows = [row for _, source, row in items if source == 1]
    ledger_rows = [row for _, source, row in items if source == 2]
    if grants:
        first = grants[0]
        person_id, street_id, id_number, name = first.person_id, first.street_id, first.id_number, first.name
    elif paid_rows:
        id_number, person_id, street_id, name = paid_rows[0][:4]
    else:
        return None  # ledger rows alone: nothing paid, nothing due in the window
    months = _window(month, starts.get(street_id))
    first_month = months[0]

    due: dict[tuple[str, dt.date], list[_Grant]] = defaultdict(list)
    for grant in grants:
        for m in months:
            if grant.due_in(m):
                due[(grant.kind, m)].append(grant)
    paid: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    for row in paid_rows:
        if row[5] >= first_month:
            paid[(row[4], row[5])] += row[6]
    recorded: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    for _, kind, m, amount in ledger_rows:
        recorded[(kind, m)] += amount

    result = PersonResult(street_id=street_id)
    for key in sorted(set(due) | set(paid), key=lambda k: (ROLL_KINDS.index(k[0]), k[1])):
        kind, m = key
        candidates = sorted(due.get(key, ()), key=lambda g: (g.start_month, g.id), reverse=True)
        winner = candidates[0] if candidates else None
        amount = None
        if winner is not None:
            amount = (
                winner.monthly_amount if winner.monthly_amount is not None else standards.in_force(kind, m)
            )
        if key in paid:
            due_amount = ZERO if winner is None else amount
            if due_amount is None:
                continue  # due now without an amount: what was paid cannot be judged
            owed = paid[key] - due_amount - recorded.get(key, ZERO)
            if owed > 0:
                result.recoveries.append(Owed(person_id, street_id, id_number, name, kind, m, owed))
            continue
        if winner is None:
            continue
        for other in candidates[1:]:
            result.held.append(
                Held(person_id, other.id, street_id, id_number, name, kind, m, HeldReason.DUPLICATE)
            )
        if amount is None:
            result.held.append(
                Held(person_id, winner.id, street_id, id_number, name, kind, m, HeldReason.NO_AMOUNT)
            )
        elif amount > 0:
            line_type = LineType.REGULAR if m == month else LineType.ARREARS
            result.lines.append(
                Line(person_id, winner.id, street_id, id_number, name, kind, m, amount, line_type)
            )
    if not (result.lines or result.held or result.recoveries):
        return None
    return result


def collect(results: Iterable[PersonResult]) -> tuple[list[Line], list[Held], list[Owed]]:
    lines: list[Line] = []
    held: list[Held] = []
    recoveries: list[Owed] = []
    for result in results:
        lines += result.lines
        held += result.held
        recoveries += result.recoveries
    return lines, held, recoveries
