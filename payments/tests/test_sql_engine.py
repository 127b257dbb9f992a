"""The PostgreSQL engine (payments.rules_sql) gives exactly the rolls of the Python engine (payments.rules).

PostgreSQL builds and previews rolls with one SQL statement; SQLite (the quick start) uses the Python
engine, which stays the reference. These tests build a street history with every case the rules know
(steady grants, late grants, a late death, a lowered amount, three overlapping grants, standards that
change, temporary aid, amount 0, a failed payment, a person who moved to a street without history,
recoveries already in the ledger) and compare both engines month by month, street by street, and
row by row in the saved rolls.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payments import bankfile, rules, rules_sql, selectors, services
from payments.models import HeldItem, Recovery, RollLine
from payments.tests.factories import StandardFactory
from payments.tests.helpers import approved_roll, return_file
from registry.models import PersonStatus
from registry.tests.factories import street
from subsidies.models import GrantKind
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-04-20 10:00:00")]
DEC = dt.date(2024, 12, 1)
JAN, FEB, MAR, APR, MAY = (dt.date(2025, month, 1) for month in range(1, 6))
OTHER = "华侨路街道"


def _history(clerk_user, staff_user):
    """A street with two approved months, then corrections recorded late, then an approved March."""
    StandardFactory(effective_month=dt.date(2024, 1, 1), monthly_amount=Decimal("110.00"))
    StandardFactory(effective_month=MAR, monthly_amount=Decimal("120.00"))
    steady = [GrantFactory(start_month=JAN) for _ in range(4)]
    GrantFactory(start_month=DEC, monthly_amount=None)  # paid at the standard, which changes in March
    doubled = GrantFactory(start_month=JAN)
    GrantFactory(person=doubled.person, start_month=FEB, monthly_amount=Decimal("160.00"))
    tripled = GrantFactory(start_month=FEB, monthly_amount=Decimal("140.00"))
    GrantFactory(person=tripled.person, start_month=DEC, monthly_amount=Decimal("145.00"))
    GrantFactory(person=tripled.person, start_month=JAN, monthly_amount=None)
    GrantFactory(kind=GrantKind.TEMPORARY_AID, start_month=FEB, monthly_amount=Decimal("500.00"))
    GrantFactory(kind=GrantKind.TEMPORARY_AID, start_month=MAR, monthly_amount=None)
    GrantFactory(kind=GrantKind.LIVING_ALLOWANCE, start_month=JAN, monthly_amount=None)  # no standard
    GrantFactory(start_month=JAN, monthly_amount=Decimal("0.00"))
    GrantFactory(start_month=dt.date(2024, 6, 1), person__street=street(OTHER))  # no history there
    GrantFactory(start_month=JAN, person__issued_on=dt.date(2025, 2, 28))  # certified in February
    approved_roll(JAN, submitter=clerk_user, approver=staff_user)
    feb = approved_roll(FEB, submitter=clerk_user, approver=staff_user)

    GrantFactory(start_month=DEC)  # recorded late: arrears
    dead = steady[0].person
    dead.status, dead.status_changed_on = PersonStatus.DECEASED, dt.date(2025, 1, 31)
    dead.save()  # death recorded late: February recovered
    steady[1].monthly_amount = Decimal("100.00")
    steady[1].save()  # lowered: the difference recovered
    moved = steady[3].person
    moved.street = street(OTHER)
    moved.save()  # now belongs to a street without roll history
    bankfile.import_return_file(
        acting_user=staff_user,
        roll=feb,
        data=return_file([steady[2].person.id_number, "重度残疾人护理补贴", "2025-02", "x"]),
    )
    approved_roll(MAR, submitter=clerk_user, approver=staff_user)  # its recoveries enter the ledger
    steady[2].end_month = JAN
    steady[2].save()  # ended back-dated after the failed payment was paid again as arrears
    GrantFactory(start_month=FEB)  # recorded after March was approved: arrears again


def _both(month, street_obj=None):
    return (
        selectors.preview(month, street_obj, engine="sql"),
        selectors.preview(month, street_obj, engine="python"),
    )


def test_sql_and_python_engines_give_identical_rolls_for_every_month_and_street(
    clerk_user, staff_user, monkeypatch
):
    _history(clerk_user, staff_user)

    seen = {"regular": 0, "arrears": 0, "held": set(), "recoveries": 0}
    for month in (DEC, JAN, FEB, MAR, APR, MAY):
        for street_obj in (None, street(), street(OTHER)):
            by_sql, by_python = _both(month, street_obj)
            assert by_sql == by_python, (month, street_obj)
            monkeypatch.setattr(rules, "_steady_roll", lambda *args: None)
            assert selectors.preview(month, street_obj, engine="python") == by_sql
            monkeypatch.undo()
            for line in by_sql["lines"]:
                seen[line["type"]] += 1
            seen["held"] |= {item["reason"] for item in by_sql["held"]}
            seen["recoveries"] += len(by_sql["recoveries"])

    # the fixture really exercises every outcome
    assert seen["regular"] and seen["arrears"] and seen["recoveries"]
    assert seen["held"] == {"duplicate", "no_amount"}


def test_ledger_recoveries_are_not_listed_again_by_either_engine(clerk_user, staff_user):
    _history(clerk_user, staff_user)

    by_sql, by_python = _both(APR)

    assert Recovery.objects.ledger().exists()
    ledger = {(r.person.id_number, f"{r.month:%Y-%m}") for r in Recovery.objects.ledger()}
    assert not ledger & {(item["id_number"], item["month"]) for item in by_sql["recoveries"]}
    assert by_sql == by_python


def _saved(month):
    lines = list(
        RollLine.objects.filter(roll__month=month)
        .order_by("id")
        .values_list("roll__street__name", "person__id_number", "grant_id", "kind", "month", "amount", "type")
    )
    held = list(
        HeldItem.objects.filter(roll__month=month)
        .order_by("id")
        .values_list("roll__street__name", "person__id_number", "grant_id", "kind", "month", "reason")
    )
    owed = list(
        Recovery.objects.filter(roll__month=month)
        .order_by("id")
        .values_list("roll__street__name", "person__id_number", "kind", "month", "amount")
    )
    return lines, held, owed


def test_build_by_sql_saves_the_same_rows_in_the_same_order_as_the_python_engine(
    clerk_user, staff_user, monkeypatch
):
    _history(clerk_user, staff_user)

    services.rolls_build_all(month=APR)
    by_sql = _saved(APR)
    monkeypatch.setattr(rules_sql, "available", lambda: False)
    services.rolls_build_all(month=APR)
    by_python = _saved(APR)
    services.roll_build(acting_user=staff_user, street=street(OTHER), month=APR)
    one_street_python = _saved(APR)
    monkeypatch.undo()
    services.roll_build(acting_user=staff_user, street=street(OTHER), month=APR)

    assert by_sql == by_python
    assert _saved(APR) == one_street_python
    lines, held, owed = by_sql
    assert {row[6] for row in lines} == {"regular", "arrears"} and held and owed
    # lines are written in ID-number order within each street's roll (the roll page pages by id)
    for name in {row[0] for row in lines}:
        ids = [row[1] for row in lines if row[0] == name]
        assert ids == sorted(ids)


def test_sql_build_runs_the_same_number_of_queries_whatever_the_number_of_persons(clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    approved_roll(JAN, submitter=clerk_user, approver=staff_user)
    services.rolls_build_all(month=FEB)  # creates the thirteen draft rolls
    with CaptureQueriesContext(connection) as small:
        services.rolls_build_all(month=FEB)
    for index in range(30):
        GrantFactory(start_month=JAN, monthly_amount=None if index % 3 else Decimal("90.00"))
        GrantFactory(start_month=DEC, person__street=street(OTHER))
    with CaptureQueriesContext(connection) as large:
        services.rolls_build_all(month=FEB)

    assert len(large.captured_queries) == len(small.captured_queries)
    # 1 steady; 10 with an amount, January arrears and February; 20 without (held); 30 elsewhere
    assert RollLine.objects.filter(roll__month=FEB).count() == 1 + 10 * 2 + 30


def test_sql_build_of_the_district_stays_within_a_fixed_query_budget(django_assert_max_num_queries):
    for _ in range(20):
        GrantFactory(start_month=JAN)

    with django_assert_max_num_queries(110):  # creates the thirteen draft rolls
        services.rolls_build_all(month=MAR)
    with django_assert_max_num_queries(50):  # rebuilds them
        rolls = services.rolls_build_all(month=MAR)

    assert len(rolls) == 13 and RollLine.objects.filter(roll__month=MAR).count() == 20
