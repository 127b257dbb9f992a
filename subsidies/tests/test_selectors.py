"""应享未享 hints: each eligibility rule, and when a grant silences it."""

import datetime as dt

import pytest
from freezegun import freeze_time

from registry.models import Category, Grade, LowIncomeType, PersonStatus
from registry.tests.factories import PersonFactory, SurveyFactory
from subsidies.models import GrantKind
from subsidies.selectors import missing_entitlements, nursing_eligible_q
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


NURSING = GrantKind.NURSING_ALLOWANCE
LIVING = GrantKind.LIVING_ALLOWANCE


def kinds(person):
    return [hint.kind for hint in missing_entitlements(person) if hint.kind]


@pytest.mark.parametrize(
    ("grade", "category", "eligible"),
    [
        (Grade.FIRST, Category.PHYSICAL, True),
        (Grade.SECOND, Category.VISION, True),
        (Grade.THIRD, Category.INTELLECTUAL, True),
        (Grade.THIRD, Category.MENTAL, True),
        (Grade.THIRD, Category.PHYSICAL, False),
        (Grade.FOURTH, Category.MENTAL, False),
    ],
)
def test_nursing_hint_follows_grade_and_category(grade, category, eligible):
    person = PersonFactory(grade=grade, category=category)

    assert (NURSING in kinds(person)) is eligible
    # the same rule as a query, for the indicators
    assert PersonFactory._meta.model.objects.filter(nursing_eligible_q(), pk=person.pk).exists() is eligible


def test_nursing_hint_disappears_with_an_active_grant():
    person = PersonFactory(grade=Grade.FIRST)
    GrantFactory(person=person, kind=NURSING, start_month=dt.date(2026, 11, 1))

    assert NURSING not in kinds(person)


def test_nursing_hint_returns_when_the_grant_ended_last_month():
    person = PersonFactory(grade=Grade.FIRST)
    GrantFactory(person=person, kind=NURSING, start_month=dt.date(2020, 1, 1), end_month=dt.date(2026, 10, 1))

    assert NURSING in kinds(person)


def test_grant_ending_this_month_still_counts_as_active():
    person = PersonFactory(grade=Grade.FIRST)
    GrantFactory(person=person, kind=NURSING, start_month=dt.date(2020, 1, 1), end_month=dt.date(2026, 11, 1))

    assert NURSING not in kinds(person)


def test_living_hint_for_low_income_household_in_this_years_survey():
    person = PersonFactory(grade=Grade.FOURTH)
    SurveyFactory(person=person, year=2026, low_income_type=LowIncomeType.DIBAO_EDGE)

    hints = missing_entitlements(person)

    assert [h.kind for h in hints] == [LIVING]
    assert "低保边缘" in hints[0].message


def test_living_hint_disappears_with_an_active_living_grant():
    person = PersonFactory(grade=Grade.FOURTH)
    SurveyFactory(person=person, year=2026, low_income_type=LowIncomeType.EXTREME_POVERTY)
    GrantFactory(person=person, kind=LIVING, start_month=dt.date(2025, 1, 1))

    assert missing_entitlements(person) == []


def test_no_living_hint_when_this_years_household_is_not_low_income():
    person = PersonFactory(grade=Grade.FOURTH)
    SurveyFactory(person=person, year=2026, low_income_type=LowIncomeType.NONE)
    SurveyFactory(person=person, year=2025, low_income_type=LowIncomeType.DIBAO)

    assert missing_entitlements(person) == []


def test_without_this_years_survey_the_hint_falls_back_to_the_latest_and_names_its_year():
    # issue 14 §3: a year past the last survey reads the latest one instead of "无法判断"
    person = PersonFactory(grade=Grade.FOURTH)
    SurveyFactory(person=person, year=2023, low_income_type=LowIncomeType.NONE)
    SurveyFactory(person=person, year=2024, low_income_type=LowIncomeType.DIBAO)

    hints = missing_entitlements(person)

    assert [h.kind for h in hints] == [GrantKind.LIVING_ALLOWANCE]
    assert "依据2024年调查" in hints[0].message
    assert "无法判断" not in hints[0].message


def test_without_any_survey_a_note_says_living_allowance_cannot_be_judged():
    person = PersonFactory(grade=Grade.FOURTH)

    hints = missing_entitlements(person)

    assert [h.kind for h in hints] == [""]
    assert "尚无需求调查" in hints[0].message


def test_person_eligible_for_both_gets_both_hints():
    person = PersonFactory(grade=Grade.SECOND)
    SurveyFactory(person=person, year=2026, low_income_type=LowIncomeType.DIBAO)

    assert kinds(person) == [NURSING, LIVING]


@pytest.mark.parametrize("status", [PersonStatus.DECEASED, PersonStatus.CANCELLED, PersonStatus.MOVED_OUT])
def test_persons_no_longer_in_the_registry_get_no_hints(status):
    person = PersonFactory(grade=Grade.FIRST, status=status, status_changed_on=dt.date(2026, 3, 1))
    SurveyFactory(person=person, year=2026, low_income_type=LowIncomeType.DIBAO)

    assert missing_entitlements(person) == []


def test_hints_cost_at_most_two_queries(django_assert_max_num_queries):
    person = PersonFactory(grade=Grade.FIRST)
    SurveyFactory(person=person, year=2026, low_income_type=LowIncomeType.DIBAO)

    with django_assert_max_num_queries(2):
        missing_entitlements(person)


@freeze_time("2024-02-10")
def test_hints_can_be_asked_for_another_day():
    person = PersonFactory(grade=Grade.FIRST)
    GrantFactory(person=person, kind=NURSING, start_month=dt.date(2020, 1, 1), end_month=dt.date(2023, 12, 1))

    assert [h.kind for h in missing_entitlements(person, on=dt.date(2023, 12, 31)) if h.kind] == []
    assert NURSING in kinds(person)


def test_hints_from_loaded_grants_match_the_query(django_assert_max_num_queries):
    person = PersonFactory(grade=Grade.FIRST)
    GrantFactory(person=person, kind=NURSING, start_month=dt.date(2020, 1, 1), end_month=dt.date(2026, 10, 1))
    grants = list(person.grants.all())

    with django_assert_max_num_queries(1):
        from_loaded = missing_entitlements(person, grants=grants)

    assert from_loaded == missing_entitlements(person)
