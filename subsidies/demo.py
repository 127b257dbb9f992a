"""Demo grants for `manage.py generate_demo_data`, drawn from the persons and surveys in the database.

Coverage is high but not complete, the way a real district looks: nursing allowance for ~95% of the
eligible, living allowance for ~93% of low-income households, 低保 for ~97% of the eligible, plus
temporary aid, pension premiums and social-insurance subsidies. Grants stop with the person's death,
cancellation or move-out, except a few left running (so the data-quality page has work), and a few
duplicates overlap. Persons are read in id order in chunks and rows are written with COPY
(registry.demo.write_rows), so memory stays bounded at a million persons and one seed gives one result.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from registry.demo import TODAY_REFERENCE, write_counted_by_kind
from registry.demo_rows import PERSON_FACTS, PersonFacts, person_rows
from registry.models import LOW_INCOME_TYPES, Survey
from subsidies.models import Grant, GrantKind

GRANT_COLUMNS = [
    "person_id",
    "kind",
    "start_month",
    "end_month",
    "monthly_amount",
    "created_at",
    "updated_at",
]
FIRST_YEAR, LAST_YEAR = 2020, 2025
THIS_MONTH = TODAY_REFERENCE.replace(day=1)
NURSING_POLICY_START = dt.date(2016, 1, 1)  # 两项补贴 became national policy in 2016

NURSING_SHARE = 0.95
LIVING_SHARE = 0.93
DIBAO_SHARE = 0.97
LEFT_RUNNING_SHARE = 0.03  # grants not stopped after death / cancellation / move-out
STOPPED_SHARE = 0.015  # nursing grants of persons still in the registry that were stopped
DUPLICATE_SHARE = 0.002  # a second, overlapping grant of the same kind
LOW_LIVING_SHARES = {"dibao": 0.5, "tekun": 0.6, "dibao_edge": 0.35}
NURSING_AMOUNTS = {"1": Decimal("200.00"), "2": Decimal("150.00"), "3": Decimal("120.00")}
LIVING_AMOUNTS = {"dibao": Decimal("200.00"), "tekun": Decimal("200.00"), "dibao_edge": Decimal("150.00")}


def person_chunks(chunk_size: int) -> Iterator[list[PersonFacts]]:
    """Persons in id order with their surveys: two queries per chunk, keyset-paged."""
    # PersonFacts.surveys: year -> (low_income_type, dibao_eligible)
    for rows in person_rows(PERSON_FACTS, chunk_size):
        persons = {row[0]: PersonFacts(*row) for row in rows}
        last_pk = rows[-1][0]
        surveys = Survey.objects.filter(person_id__gte=rows[0][0], person_id__lte=last_pk).values_list(
            "person_id", "year", "low_income_type", "dibao_eligible"
        )
        for person_id, year, low_income, dibao in surveys.iterator(chunk_size=chunk_size):
            persons[person_id].surveys[year] = (low_income, dibao)
        yield list(persons.values())


def _month(date: dt.date) -> dt.date:
    return date.replace(day=1)


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _random_month(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    span = (last.year - first.year) * 12 + last.month - first.month
    return _add_months(first, rng.randint(0, max(0, span)))


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.rows: list[tuple] = []

    def grant(self, person: PersonFacts, kind: str, start: dt.date, end: dt.date | None, amount) -> None:
        """One grant, stopped at the person's exit (mostly), never starting after it or in the future."""
        start = max(start, _month(person.issued))
        if start > THIS_MONTH or (person.changed and start > person.changed):
            return
        if person.changed and (end is None or end > person.changed):
            end = None if self.rng.random() < LEFT_RUNNING_SHARE else _month(person.changed)
        if end is not None and end > THIS_MONTH:
            end = None
        if end is not None and end < start:
            return
        self.rows.append((person.pk, kind, start, end, amount, self.now, self.now))


def _nursing_eligible(person: PersonFacts) -> bool:
    return person.grade in ("1", "2") or (person.grade == "3" and person.category in ("5", "6"))


def _nursing(w: _Writer, person: PersonFacts) -> None:
    rng = w.rng
    if not _nursing_eligible(person) or rng.random() >= NURSING_SHARE:
        return
    start = max(_month(person.issued + dt.timedelta(days=rng.randint(0, 90))), NURSING_POLICY_START)
    end = None
    if not person.changed and rng.random() < STOPPED_SHARE:
        year = rng.randint(FIRST_YEAR + 1, LAST_YEAR)
        end = dt.date(year, 1, 1) if rng.random() < 0.3 else dt.date(year, rng.randint(2, 12), 1)
        if end < start:
            end = None
    amount = NURSING_AMOUNTS[person.grade]
    w.grant(person, GrantKind.NURSING_ALLOWANCE, start, end, amount)
    if rng.random() < DUPLICATE_SHARE:
        w.grant(person, GrantKind.NURSING_ALLOWANCE, _add_months(start, rng.randint(3, 24)), None, amount)


def _period_grant(w: _Writer, person: PersonFacts, kind: str, years: list[int], amount) -> None:
    """A grant from early in the first qualifying year; it ends in January after the last one unless
    the household still qualified in the latest survey."""
    rng = w.rng
    start = dt.date(years[0], rng.randint(1, 6), 1)
    latest_survey = max(person.surveys)
    end = None if years[-1] == latest_survey else dt.date(years[-1] + 1, 1, 1)
    w.grant(person, kind, start, end, amount)


def _household_grants(w: _Writer, person: PersonFacts) -> None:
    rng = w.rng
    low_years = sorted(y for y, (low, _) in person.surveys.items() if low in LOW_INCOME_TYPES)
    dibao_years = sorted(y for y, (_, eligible) in person.surveys.items() if eligible)
    if low_years and rng.random() < LIVING_SHARE:
        low_type = person.surveys[low_years[-1]][0]
        _period_grant(w, person, GrantKind.LIVING_ALLOWANCE, low_years, LIVING_AMOUNTS[low_type])
    if dibao_years and rng.random() < DIBAO_SHARE:
        amount = Decimal(rng.randrange(950, 1300, 10))
        _period_grant(w, person, GrantKind.DIBAO, dibao_years, amount)
    if low_years and 16 <= low_years[0] - person.birth.year < 60 and rng.random() < 0.6:
        w.grant(person, GrantKind.PENSION_PREMIUM, dt.date(low_years[0], 1, 1), None, Decimal("100.00"))
    aid_share = 0.15 if low_years else 0.01
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if rng.random() < aid_share:
            month = dt.date(year, rng.randint(1, 12), 1)
            w.grant(person, GrantKind.TEMPORARY_AID, month, month, Decimal(rng.randrange(500, 3001, 100)))
    if 18 <= TODAY_REFERENCE.year - person.birth.year < 60 and rng.random() < 0.01:
        start = _random_month(rng, dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 1))
        w.grant(
            person,
            GrantKind.SOCIAL_INSURANCE,
            start,
            _add_months(start, rng.randint(11, 35)),
            Decimal("300.00"),
        )


def _grant_rows(rng: random.Random, batch_size: int) -> Iterator[list[tuple]]:
    for persons in person_chunks(max(batch_size, 1000)):
        writer = _Writer(rng)
        for person in persons:
            _nursing(writer, person)
            if person.surveys:
                _household_grants(writer, person)
        yield writer.rows


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    """Write demo grants for every person in the database; returns the number of rows written."""
    rows = _grant_rows(rng, batch_size)
    return write_counted_by_kind(Grant, GRANT_COLUMNS, rows, title="补贴与救助记录", kinds=GrantKind)
