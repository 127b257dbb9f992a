"""Every rule of payments.md at its edges, on small hand-computed fixtures."""

import datetime as dt
from decimal import Decimal

import pytest
from freezegun import freeze_time

from payments import selectors
from payments.tests.factories import StandardFactory
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory
from subsidies.models import GrantKind
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]
MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)


@pytest.fixture
def _frozen():
    with freeze_time("2025-04-10 10:00:00"):
        yield


def _roll(month=MARCH):
    return selectors.preview(month)


def _keys(roll, part="lines"):
    return [(row["id_number"], row["kind"], row["month"]) for row in roll[part]]


def test_month_of_death_is_paid_and_the_next_month_is_not():
    person = PersonFactory(status=PersonStatus.DECEASED, status_changed_on=dt.date(2025, 3, 31))
    GrantFactory(person=person, start_month=dt.date(2024, 1, 1), monthly_amount=Decimal("150.00"))

    assert _keys(_roll(MARCH)) == [(person.id_number, "重度残疾人护理补贴", "2025-03")]
    assert _roll(APRIL)["lines"] == []


def test_status_change_on_first_day_still_pays_that_month():
    person = PersonFactory(status=PersonStatus.MOVED_OUT, status_changed_on=dt.date(2025, 3, 1))
    GrantFactory(person=person)

    assert len(_roll(MARCH)["lines"]) == 1
    assert _roll(dt.date(2025, 2, 1))["lines"][0]["amount"] == "150.00"


def test_cancelled_the_month_before_is_not_paid():
    person = PersonFactory(status=PersonStatus.CANCELLED, status_changed_on=dt.date(2025, 2, 28))
    GrantFactory(person=person)

    assert _roll(MARCH)["lines"] == []


def test_certificate_issued_on_last_day_of_month_counts_for_that_month():
    on_last_day = PersonFactory(issued_on=dt.date(2025, 3, 31))
    next_day = PersonFactory(issued_on=dt.date(2025, 4, 1))
    GrantFactory(person=on_last_day, start_month=MARCH)
    GrantFactory(person=next_day, start_month=MARCH)

    assert [row["id_number"] for row in _roll(MARCH)["lines"]] == [on_last_day.id_number]
    assert sorted(row["id_number"] for row in _roll(APRIL)["lines"]) == sorted(
        [on_last_day.id_number, next_day.id_number]
    )


def test_grant_paid_in_its_end_month_and_not_after():
    person = PersonFactory()
    GrantFactory(person=person, start_month=dt.date(2025, 1, 1), end_month=MARCH)

    assert len(_roll(MARCH)["lines"]) == 1
    assert _roll(APRIL)["lines"] == []


def test_overlapping_grants_of_one_kind_pay_the_later_start_once_and_hold_the_other():
    person = PersonFactory()
    GrantFactory(person=person, start_month=dt.date(2024, 1, 1), monthly_amount=Decimal("100.00"))
    later = GrantFactory(person=person, start_month=dt.date(2025, 2, 1), monthly_amount=Decimal("180.00"))

    roll = _roll(MARCH)

    assert [(row["amount"], row["type"]) for row in roll["lines"]] == [("180.00", "regular")]
    assert roll["held"] == [
        {
            "id_number": person.id_number,
            "kind": "重度残疾人护理补贴",
            "month": "2025-03",
            "reason": "duplicate",
            "message": "同一项目重复",
        }
    ]
    assert later.pk  # the later grant is the one paid
    assert roll["totals"]["lines"] == 1


def test_grants_of_two_kinds_both_pay():
    person = PersonFactory()
    GrantFactory(person=person, kind=GrantKind.NURSING_ALLOWANCE)
    GrantFactory(person=person, kind=GrantKind.LIVING_ALLOWANCE, monthly_amount=Decimal("200.00"))

    roll = _roll(MARCH)

    assert roll["totals"]["amount"] == "350.00"
    assert roll["totals"]["by_kind"]["困难残疾人生活补贴"] == {"lines": 1, "amount": "200.00"}


def test_no_amount_and_no_standard_is_held_no_amount():
    person = PersonFactory()
    GrantFactory(person=person, monthly_amount=None)

    roll = _roll(MARCH)

    assert roll["lines"] == []
    assert [(h["reason"], h["message"]) for h in roll["held"]] == [("no_amount", "未核定金额")]


def test_without_amount_the_standard_in_force_in_the_month_is_paid():
    person = PersonFactory()
    GrantFactory(person=person, monthly_amount=None)
    StandardFactory(effective_month=dt.date(2024, 1, 1), monthly_amount=Decimal("120.00"))
    StandardFactory(effective_month=MARCH, monthly_amount=Decimal("130.00"))
    StandardFactory(effective_month=APRIL, monthly_amount=Decimal("140.00"))

    assert [row["amount"] for row in _roll(dt.date(2025, 2, 1))["lines"]] == ["120.00"]
    assert [row["amount"] for row in _roll(MARCH)["lines"]] == ["130.00"]


def test_standard_effective_after_the_month_does_not_count():
    GrantFactory(monthly_amount=None)
    StandardFactory(effective_month=APRIL)

    assert [h["reason"] for h in _roll(MARCH)["held"]] == ["no_amount"]


def test_temporary_aid_has_no_standard_and_pays_in_its_own_month_only():
    person = PersonFactory()
    GrantFactory(
        person=person,
        kind=GrantKind.TEMPORARY_AID,
        start_month=MARCH,
        end_month=MARCH,
        monthly_amount=Decimal("500"),
    )
    GrantFactory(
        person=person,
        kind=GrantKind.TEMPORARY_AID,
        start_month=dt.date(2025, 2, 1),
        end_month=None,
        monthly_amount=None,
    )

    roll = _roll(MARCH)

    assert [(row["kind"], row["amount"]) for row in roll["lines"]] == [("临时救助", "500.00")]
    assert roll["held"] == []


def test_amount_zero_gives_no_line_and_is_not_held():
    GrantFactory(monthly_amount=Decimal("0.00"))

    roll = _roll(MARCH)

    assert roll["lines"] == [] and roll["held"] == []


def test_dibao_and_insurance_kinds_are_never_on_a_roll():
    person = PersonFactory()
    for kind in (GrantKind.DIBAO, GrantKind.PENSION_PREMIUM, GrantKind.SOCIAL_INSURANCE):
        GrantFactory(person=person, kind=kind, monthly_amount=Decimal("300.00"))
    StandardFactory(kind=GrantKind.LIVING_ALLOWANCE)

    roll = _roll(MARCH)

    assert roll["lines"] == [] and roll["held"] == [] and roll["totals"]["amount"] == "0.00"


def test_grant_not_started_is_not_due():
    GrantFactory(start_month=APRIL)

    assert _roll(MARCH)["lines"] == []


def test_lines_belong_to_the_current_street_of_the_person():
    from registry.tests.factories import street

    person = PersonFactory(street=street("华侨路街道"))
    GrantFactory(person=person)

    assert selectors.preview(MARCH, street("宁海路街道"))["lines"] == []
    assert [row["street"] for row in selectors.preview(MARCH, street("华侨路街道"))["lines"]] == [
        "华侨路街道"
    ]


def test_temporary_aid_without_amount_is_held_even_if_a_standard_row_exists():
    GrantFactory(kind=GrantKind.TEMPORARY_AID, start_month=MARCH, end_month=MARCH, monthly_amount=None)
    StandardFactory(kind=GrantKind.TEMPORARY_AID)  # not offered by the form; ignored by the rules

    assert [h["reason"] for h in _roll(MARCH)["held"]] == ["no_amount"]
