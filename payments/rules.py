"""The rules of payments.md: which (person, kind, month) is due, at what amount, and what is owed.

One pass over three streams sorted by ID number (grants due in the window, lines already paid by
approved rolls, recoveries already in the ledger), merged person by person: a constant number of
queries for a street or the whole district, and memory that holds one person at a time.

This is the reference engine, and the one SQLite (the quick start) uses. On PostgreSQL the rolls are
computed and written by payments.rules_sql, the same rules as one SQL statement; the tests check
that both engines give identical rolls (payments/tests/test_sql_engine.py).
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
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import Min, Q

from core.models import Street
from payments.models import ROLL_KINDS, HeldReason, LineType, Recovery, Roll, RollLine, Standard
from registry.models import PersonStatus
from subsidies.models import Grant, GrantKind

CHUNK = 5000
ZERO = Decimal("0.00")
KIND_ORDER = {kind.value: index for index, kind in enumerate(ROLL_KINDS)}


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
class _GrantMonth:
    """A person's grant in a month: what a roll line and a held item both name."""

    person_id: int
    grant_id: int
    street_id: int
    id_number: str
    name: str
    kind: str
    month: dt.date


@dataclass(frozen=True)
class Line(_GrantMonth):
    amount: Decimal
    type: str


@dataclass(frozen=True)
class Held(_GrantMonth):
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


BIG = 10**9


def month_index(date: dt.date) -> int:
    return date.year * 12 + date.month - 1


@lru_cache(maxsize=4096)
def month_of(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


class _Grant:
    """A grant row with its due months as a range of month indices (conditions 2–4 of payments.md)."""

    __slots__ = (
        "amount",
        "first",
        "id",
        "id_number",
        "kind",
        "last",
        "name",
        "person_id",
        "start",
        "street_id",
    )

    def __init__(self, row: tuple) -> None:
        (
            self.id,
            self.person_id,
            self.kind,
            start_month,
            end_month,
            self.amount,
            self.street_id,
            self.id_number,
            self.name,
            issued_on,
            status,
            status_changed_on,
        ) = row
        self.start = month_index(start_month)
        if self.kind == GrantKind.TEMPORARY_AID:
            end = self.start  # one-off: paid in its own month only
        else:
            end = month_index(end_month) if end_month is not None else BIG
        # a certificate issued by the last day of a month counts for that month
        first = max(self.start, month_index(issued_on))
        if status != PersonStatus.ACTIVE:
            # the month of death, move-out or cancellation is still paid; the next is not
            end = min(end, month_index(status_changed_on) if status_changed_on is not None else -1)
        self.first, self.last = first, end

    def due_in(self, month: dt.date) -> bool:
        index = month_index(month)
        return self.first <= index <= self.last


class Standards:
    """The standard in force in a month: the latest effective month ≤ that month (one query)."""

    def __init__(self) -> None:
        by_kind: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
        for kind, month, amount in Standard.objects.order_by("effective_month").values_list(
            "kind", "effective_month", "monthly_amount"
        ):
            by_kind[kind].append((month_index(month), amount))
        self._months = {kind: [m for m, _ in rows] for kind, rows in by_kind.items()}
        self._amounts = {kind: [a for _, a in rows] for kind, rows in by_kind.items()}
        self._cache: dict[tuple[str, int], Decimal | None] = {}

    def changes_between(self, kind: str, first: int, last: int) -> bool:
        """Whether a standard of `kind` takes effect after month `first` and by month `last`."""
        months = self._months.get(kind) or []
        return bisect.bisect_right(months, last) != bisect.bisect_right(months, first)

    def in_force(self, kind: str, month: dt.date | int) -> Decimal | None:
        index = month if isinstance(month, int) else month_index(month)
        key = (kind, index)
        if key not in self._cache:
            months = self._months.get(kind)
            position = bisect.bisect_right(months, index) - 1 if months else -1
            self._cache[key] = self._amounts[kind][position] if position >= 0 else None
        return self._cache[key]


def history_starts() -> dict[int, dt.date]:
    """Each street's roll history starts at its first approved roll (one query)."""
    return dict(
        Roll.objects.approved()
        .values("street_id")
        .annotate(first=Min("month"))
        .values_list("street_id", "first")
    )


def history_window(
    month: dt.date, street: Street | None, *, with_history: bool = True
) -> tuple[dt.date, dict]:
    """What a roll of `month` looks back over: the window's first month (the earliest history start of
    the streets concerned, or the month itself), and each street's first month as a month index
    (streets whose history starts after `month` have none: their window is the month alone)."""
    starts = history_starts() if with_history else {}
    if street is not None:
        relevant = [starts[street.pk]] if street.pk in starts else []
    else:
        relevant = list(starts.values())
    window_start = min([month, *relevant])
    firsts = {street_id: month_index(start) for street_id, start in starts.items() if start <= month}
    return window_start, firsts


def compute(
    month: dt.date, street: Street | None = None, *, with_history: bool = True
) -> Iterator[PersonResult]:
    """The roll of `month` for one street (or every street), person by person, ordered by ID number.

    `with_history=False` leaves out arrears and recoveries (only the month itself): for loading past
    months in order, where nothing can be owed yet (the demo data).
    """
    month = month.replace(day=1)
    standards = Standards()
    window_start, firsts = history_window(month, street, with_history=with_history)
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
    paid = _paid_by_person_and_kind(
        RollLine.objects.filter(person_filter, paid=True, month__gte=window_start, month__lte=month)
    )
    ledger = (
        Recovery.objects.ledger()
        .filter(person_filter, month__gte=window_start, month__lte=month)
        .order_by("person__id_number", "kind", "month")
        .values_list("person__id_number", "kind", "month", "amount")
    )
    grant_rows = (_Grant(row) for row in grants.iterator(chunk_size=CHUNK))
    streams = (
        ((g.id_number, 0, g) for g in grant_rows),
        ((row[0], 1, row) for row in paid),
        ((row[0], 2, row) for row in ledger.iterator(chunk_size=CHUNK)),
    )
    merged = heapq.merge(*streams, key=itemgetter(0, 1))
    month_i = month_index(month)
    for _id_number, items in groupby(merged, key=itemgetter(0)):
        result = _person_roll(month_i, list(items), standards, firsts)
        if result is not None:
            yield result


PAID_FIELDS = ("person__id_number", "person_id", "person__street_id", "person__name", "kind")


def _paid_by_person_and_kind(lines) -> Iterator[tuple]:
    """Lines paid by approved rolls, one row per person and kind: (ID number, person, street, name,
    kind, [month, ...], [amount, ...]) in ID-number order. PostgreSQL groups them itself (a tenth
    of the rows to fetch); elsewhere the lines are grouped as they stream."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import ArrayAgg

        grouped = (
            lines.values(*PAID_FIELDS)
            .annotate(
                months=ArrayAgg("month", order_by="month"), amounts=ArrayAgg("amount", order_by="month")
            )
            .order_by("person__id_number", "kind")
            .values_list(*PAID_FIELDS, "months", "amounts")
        )
        yield from grouped.iterator(chunk_size=CHUNK)
        return
    rows = lines.order_by("person__id_number", "kind", "month").values_list(*PAID_FIELDS, "month", "amount")
    for _key, group in groupby(rows.iterator(chunk_size=CHUNK), key=itemgetter(0, 4)):
        group = list(group)
        yield (*group[0][:5], [row[5] for row in group], [row[6] for row in group])


def _person_roll(month_i: int, items: list, standards: Standards, firsts: dict) -> PersonResult | None:
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
    window_first = firsts.get(street_id, month_i)
    if not ledger_rows:
        fast = _steady_roll(month_i, window_first, grants, paid_rows, standards)
        if fast is not None:
            result = PersonResult(street_id=street_id)
            result.lines = [
                Line(
                    person_id,
                    grant.id,
                    street_id,
                    id_number,
                    name,
                    grant.kind,
                    month_of(month_i),
                    amount,
                    LineType.REGULAR,
                )
                for grant, amount in fast
            ]
            return result if result.lines else None

    due: dict[tuple[str, int], list[_Grant]] = {}
    for grant in grants:
        for m in range(max(grant.first, window_first), min(grant.last, month_i) + 1):
            due.setdefault((grant.kind, m), []).append(grant)
    paid: dict[tuple[str, int], Decimal] = {}
    for row in paid_rows:
        for paid_month, amount in zip(row[5], row[6], strict=True):
            m = month_index(paid_month)
            if m >= window_first:
                paid[(row[4], m)] = paid.get((row[4], m), ZERO) + amount
    recorded: dict[tuple[str, int], Decimal] = {}
    for _, kind, month, amount in ledger_rows:
        key = (kind, month_index(month))
        recorded[key] = recorded.get(key, ZERO) + amount

    result = PersonResult(street_id=street_id)
    keys = due.keys() | paid.keys() if paid else due.keys()
    for key in sorted(keys, key=lambda k: (KIND_ORDER[k[0]], k[1])):
        kind, m = key
        candidates = due.get(key)
        if candidates and len(candidates) > 1:
            candidates = sorted(candidates, key=lambda g: (g.start, g.id), reverse=True)
        winner = candidates[0] if candidates else None
        amount = None
        if winner is not None:
            amount = winner.amount
            if amount is None and kind != GrantKind.TEMPORARY_AID:  # 临时救助 has no standard
                amount = standards.in_force(kind, m)
        if key in paid:
            due_amount = ZERO if winner is None else amount
            if due_amount is None:
                continue  # due now without an amount: what was paid cannot be judged
            owed = paid[key] - due_amount - recorded.get(key, ZERO)
            if owed > 0:
                result.recoveries.append(Owed(person_id, street_id, id_number, name, kind, month_of(m), owed))
            continue
        if winner is None:
            continue
        month = month_of(m)
        for other in candidates[1:]:
            result.held.append(
                Held(person_id, other.id, street_id, id_number, name, kind, month, HeldReason.DUPLICATE)
            )
        if amount is None:
            result.held.append(
                Held(person_id, winner.id, street_id, id_number, name, kind, month, HeldReason.NO_AMOUNT)
            )
        elif amount > 0:
            line_type = LineType.REGULAR if m == month_i else LineType.ARREARS
            result.lines.append(
                Line(person_id, winner.id, street_id, id_number, name, kind, month, amount, line_type)
            )
    if not (result.lines or result.held or result.recoveries):
        return None
    return result


def _steady_roll(month_i: int, window_first: int, grants: list, paid_rows: list, standards: Standards):
    """The common case without a month-by-month walk: one grant per kind at one amount, paid for
    exactly every past month of the window it was due in. Returns [(grant, amount)] of the month's
    regular lines, or None when anything differs (the full rules then run)."""
    by_kind: dict[str, _Grant] = {}
    for grant in grants:
        if grant.kind in by_kind:
            return None  # several grants of one kind: duplicates to sort out
        by_kind[grant.kind] = grant
    paid_kinds = {row[4]: row for row in paid_rows}
    if not paid_kinds.keys() <= by_kind.keys():
        return None  # paid without a grant now: a recovery
    regular = []
    for kind, grant in by_kind.items():
        first, last = max(grant.first, window_first), min(grant.last, month_i)
        amount = grant.amount
        if amount is None:
            if kind == GrantKind.TEMPORARY_AID or first > last:
                return None
            amount = standards.in_force(kind, first)
            if (
                amount is None
                or standards.in_force(kind, last) != amount
                or standards.changes_between(kind, first, last)
            ):
                return None
        if amount <= 0:
            return None
        row = paid_kinds.get(kind)
        past_last = min(last, month_i - 1)
        if first > past_last:
            if row is not None:
                return None
        else:
            if row is None:
                return None  # owed: arrears
            months, amounts = row[5], row[6]
            if (
                len(months) != past_last - first + 1
                or month_index(months[0]) != first
                or month_index(months[-1]) != past_last
                or any(a != amount for a in amounts)
            ):
                return None
        if last == month_i and first <= last:
            regular.append((grant, amount))
    regular.sort(key=lambda item: KIND_ORDER[item[0].kind])
    return regular


def collect(results: Iterable[PersonResult]) -> tuple[list[Line], list[Held], list[Owed]]:
    lines: list[Line] = []
    held: list[Held] = []
    recoveries: list[Owed] = []
    for result in results:
        lines += result.lines
        held += result.held
        recoveries += result.recoveries
    return lines, held, recoveries
