"""Constraints and the shared predicates of the employment records, at their boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from employment.models import Employment, Graduate, Training
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import assert_active_in, refused

pytestmark = pytest.mark.django_db


def test_employment_ending_on_1_january_is_active_in_that_year():
    employment = EmploymentFactory(start_date=dt.date(2020, 5, 1), end_date=dt.date(2023, 1, 1))
    assert_active_in(employment, 2023, not_in=2024)


def test_employment_ending_on_31_december_is_not_active_in_the_next_year():
    employment = EmploymentFactory(start_date=dt.date(2020, 5, 1), end_date=dt.date(2022, 12, 31))
    assert_active_in(employment, 2022, not_in=2023)


def test_employment_starting_on_31_december_is_active_in_that_year_only_from_then():
    employment = EmploymentFactory(start_date=dt.date(2023, 12, 31))
    assert_active_in(employment, 2023, not_in=2022)


def test_active_on_31_december_includes_an_end_on_that_day_and_excludes_the_day_before():
    ends_31 = EmploymentFactory(start_date=dt.date(2023, 2, 1), end_date=dt.date(2023, 12, 31))
    ends_30 = EmploymentFactory(start_date=dt.date(2023, 2, 1), end_date=dt.date(2023, 12, 30))
    active = set(Employment.objects.active_on(dt.date(2023, 12, 31)))
    assert ends_31 in active
    assert ends_30 not in active


@freeze_time("2024-06-15")
def test_current_and_is_current_agree_on_today():
    ends_today = EmploymentFactory(start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 6, 15))
    ended = EmploymentFactory(start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 6, 14))
    future = EmploymentFactory(start_date=dt.date(2024, 7, 1))
    assert list(Employment.objects.current()) == [ends_today]
    assert [e.is_current for e in (ends_today, ended, future)] == [True, False, False]


def test_end_before_start_is_refused_with_a_chinese_message():
    employment = EmploymentFactory.build(
        person=PersonFactory(), start_date=dt.date(2023, 5, 1), end_date=dt.date(2023, 4, 30)
    )
    with refused("end_date", "结束日期不能早于开始日期"):
        employment.full_clean()


def test_database_refuses_end_before_start_even_without_validation():
    employment = EmploymentFactory()
    employment.end_date = employment.start_date - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        employment.save()


def test_same_training_twice_is_refused_with_a_chinese_message():
    training = TrainingFactory()
    duplicate = Training(
        person=training.person, name=training.name, kind=training.kind, start_date=training.start_date
    )
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "该人员已有同名、同一开始日期的培训记录" in exc.value.messages


def test_training_is_dated_by_its_start_day():
    # given trainings starting on the first and last day of 2023 and one on 1 January 2024
    first = TrainingFactory(start_date=dt.date(2023, 1, 1), end_date=None)
    last = TrainingFactory(start_date=dt.date(2023, 12, 31), end_date=dt.date(2024, 1, 10))
    TrainingFactory(start_date=dt.date(2024, 1, 1), end_date=None)
    # then dated_in and dated_between use the start day only
    assert set(Training.objects.dated_in(2023)) == {first, last}
    assert set(Training.objects.dated_between(dt.date(2021, 1, 1), dt.date(2023, 12, 31))) == {first, last}


@freeze_time("2026-11-28")
def test_graduation_year_in_the_future_is_refused():
    graduate = Graduate(person=PersonFactory(), graduation_year=2027)
    with refused("graduation_year", "毕业年份不能晚于今年"):
        graduate.full_clean()


@pytest.mark.parametrize(("end", "employed"), [(dt.date(2023, 12, 31), True), (dt.date(2023, 12, 30), False)])
def test_graduate_is_employed_when_employment_is_active_on_31_december(end, employed):
    graduate = GraduateFactory(graduation_year=2023)
    EmploymentFactory(person=graduate.person, start_date=dt.date(2023, 8, 1), end_date=end)

    annotated = Graduate.objects.with_employment_status().get()
    filtered = Graduate.objects.of_year(2023).employed_on(dt.date(2023, 12, 31))

    assert annotated.employed is employed
    assert filtered.exists() is employed


def test_graduate_employment_starting_after_31_december_does_not_count():
    graduate = GraduateFactory(graduation_year=2022)
    EmploymentFactory(person=graduate.person, start_date=dt.date(2023, 1, 1))
    assert Graduate.objects.with_employment_status().get().employed is False


@freeze_time("2025-10-01")
def test_this_years_graduate_is_judged_on_today():
    # given a graduate of this year with a job that started in August and ended yesterday
    graduate = GraduateFactory(graduation_year=2025)
    EmploymentFactory(person=graduate.person, start_date=dt.date(2025, 8, 1), end_date=dt.date(2025, 9, 30))
    assert Graduate.objects.with_employment_status().get().employed is False
    # when a new job starts today
    EmploymentFactory(person=graduate.person, form="quota", start_date=dt.date(2025, 10, 1))
    # then the graduate is employed
    assert Graduate.objects.with_employment_status().get().employed is True


def test_records_are_scoped_by_the_persons_street(clerk_user, other_clerk_user):
    own = EmploymentFactory(person=PersonFactory())
    other = EmploymentFactory(person=PersonFactory(street=street("华侨路街道")))
    assert list(Employment.objects.for_user(clerk_user)) == [own]
    assert list(Employment.objects.for_user(other_clerk_user)) == [other]
