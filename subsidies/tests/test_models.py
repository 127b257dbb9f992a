"""Grant constraints and the period predicates the indicators share, at their boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from freezegun import freeze_time

from registry.tests.factories import PersonFactory
from subsidies.models import Grant, GrantKind
from subsidies.tests.factories import GrantFactory
from tests.assertions import assert_active_in, refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "year", "not_in"),
    [
        (dt.date(2020, 6, 1), dt.date(2023, 1, 1), 2023, 2024),
        (dt.date(2022, 12, 1), None, 2022, 2021),
        (dt.date(2020, 1, 1), dt.date(2022, 12, 1), 2022, 2023),
    ],
    ids=["ending_in_january", "starting_in_december", "ended_in_december"],
)
def test_grant_counts_for_the_years_of_its_months_only(start, end, year, not_in):
    grant = GrantFactory(start_month=start, end_month=end)

    assert_active_in(grant, year, not_in=not_in)


@freeze_time("2026-11-28")
def test_current_year_counts_up_to_today_only():
    # given a grant that starts next month, in the current unfinished year
    next_month = GrantFactory(start_month=dt.date(2026, 12, 1))
    this_month = GrantFactory(start_month=dt.date(2026, 11, 1))

    assert this_month in Grant.objects.active_in(2026)
    assert next_month not in Grant.objects.active_in(2026)


def test_active_on_counts_the_end_month_as_a_whole_month():
    grant = GrantFactory(start_month=dt.date(2022, 3, 1), end_month=dt.date(2023, 1, 1))

    assert grant in Grant.objects.active_on(dt.date(2023, 1, 31))
    assert grant not in Grant.objects.active_on(dt.date(2023, 2, 1))
    assert grant in Grant.objects.active_on(dt.date(2022, 3, 1))
    assert grant not in Grant.objects.active_on(dt.date(2022, 2, 28))
    assert grant.is_active_on(dt.date(2023, 1, 31)) and not grant.is_active_on(dt.date(2023, 2, 1))


def test_of_kind_takes_one_or_several_kinds():
    nursing = GrantFactory(kind=GrantKind.NURSING_ALLOWANCE)
    living = GrantFactory(kind=GrantKind.LIVING_ALLOWANCE)
    GrantFactory(kind=GrantKind.DIBAO)

    assert list(Grant.objects.of_kind(GrantKind.NURSING_ALLOWANCE)) == [nursing]
    assert set(Grant.objects.of_kind(GrantKind.NURSING_ALLOWANCE, GrantKind.LIVING_ALLOWANCE)) == {
        nursing,
        living,
    }


@freeze_time("2026-11-28")
def test_ongoing_and_ended_split_on_the_current_month():
    ongoing = GrantFactory(start_month=dt.date(2024, 1, 1), end_month=dt.date(2026, 11, 1))
    ended = GrantFactory(start_month=dt.date(2024, 1, 1), end_month=dt.date(2026, 10, 1))

    assert list(Grant.objects.ongoing()) == [ongoing]
    assert list(Grant.objects.ended()) == [ended]
    assert ongoing.status_label == "发放中" and ended.status_label == "已停发"


def test_end_before_start_is_rejected_with_a_chinese_message():
    grant = Grant(
        person=PersonFactory(),
        kind=GrantKind.DIBAO,
        start_month=dt.date(2023, 5, 1),
        end_month=dt.date(2023, 4, 1),
    )

    with refused("end_month", "结束月份不能早于开始月份"):
        grant.full_clean()


def test_database_refuses_end_before_start():
    with pytest.raises(IntegrityError):
        Grant.objects.create(
            person=PersonFactory(),
            kind=GrantKind.DIBAO,
            start_month=dt.date(2023, 5, 1),
            end_month=dt.date(2023, 4, 1),
        )


def test_clean_stores_months_as_their_first_day():
    grant = Grant(person=PersonFactory(), kind=GrantKind.DIBAO, start_month=dt.date(2023, 5, 17))

    grant.full_clean()

    assert grant.start_month == dt.date(2023, 5, 1)


def test_temporary_aid_without_end_belongs_to_its_month_only():
    grant = Grant(person=PersonFactory(), kind=GrantKind.TEMPORARY_AID, start_month=dt.date(2023, 5, 1))

    grant.full_clean()

    assert grant.end_month == dt.date(2023, 5, 1)


def test_same_person_kind_and_start_month_is_a_duplicate_with_a_chinese_message():
    existing = GrantFactory(start_month=dt.date(2023, 5, 1))
    duplicate = Grant(person=existing.person, kind=existing.kind, start_month=dt.date(2023, 5, 1))

    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()

    assert "该人员已有同一项目、同一开始月份的补贴记录" in exc.value.messages


def test_negative_amount_is_rejected_next_to_the_amount():
    grant = Grant(
        person=PersonFactory(), kind=GrantKind.DIBAO, start_month=dt.date(2023, 5, 1), monthly_amount=-1
    )

    with refused("monthly_amount", "金额不能为负数"):
        grant.full_clean()
