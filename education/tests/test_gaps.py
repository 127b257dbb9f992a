"""The 送教上门 gap list: school-age (6–15 on 31 August), in the register, surveyed 未入学, no 送教上门
dated in the year. Hand-computed edges for year 2025 (cut-off 2025-08-31)."""

import datetime as dt

import pytest

from education import selectors
from education.models import AidKind
from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from indicators.engine import DEFINITIONS
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory, SurveyFactory, street

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
YEAR = 2025


def child(birth: dt.date, education: str = "not_enrolled", year: int = YEAR, **person):
    person = PersonFactory(birth=birth, issued_on=dt.date(2020, 6, 1), **person)
    if education is not None:
        SurveyFactory(person=person, year=year, education=education)
    return person


def gap(year: int = YEAR) -> set:
    return set(selectors.gap_persons(year).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("birth", "age", "in_gap"),
    [
        (dt.date(2019, 9, 1), 5, False),  # turns 6 the day after the cut-off
        (dt.date(2019, 8, 31), 6, True),  # exactly 6 on 31 August
        (dt.date(2010, 8, 31), 15, True),  # exactly 15 on 31 August
        (dt.date(2009, 9, 1), 15, True),  # turns 16 the day after the cut-off
        (dt.date(2009, 8, 31), 16, False),  # exactly 16 on 31 August
    ],
)
def test_age_on_31_august_decides(birth, age, in_gap):
    child(birth, name=f"{age}岁")

    assert gap() == ({f"{age}岁"} if in_gap else set())


def test_born_on_29_february_is_6_on_31_august():
    child(dt.date(2016, 2, 29), name="闰年生", year=2022)

    assert gap(2022) == {"闰年生"}


@pytest.mark.parametrize("education", ["regular", "special", "home", "suspended", "na", ""])
def test_only_a_survey_saying_not_enrolled_counts(education):
    child(dt.date(2015, 3, 1), education=education)

    assert gap() == set()


def test_a_survey_of_another_year_or_none_leaves_the_child_out():
    child(dt.date(2015, 3, 1), year=2024, name="去年未入学")
    child(dt.date(2015, 3, 1), education=None, name="未调查")

    assert gap() == set()
    assert gap(2024) == {"去年未入学"}


@pytest.mark.parametrize(
    ("visit_date", "in_gap"),
    [
        (dt.date(2024, 12, 31), True),
        (dt.date(2025, 1, 1), False),
        (dt.date(2025, 12, 31), False),
        (dt.date(2026, 1, 1), True),
    ],
)
def test_a_visit_dated_in_the_year_closes_the_gap(visit_date, in_gap):
    person = child(dt.date(2015, 3, 1), name="未入学")
    HomeTeachingVisitFactory(person=person, visit_date=visit_date)

    assert gap() == ({"未入学"} if in_gap else set())


@pytest.mark.parametrize(
    ("kind", "aid_date", "in_gap"),
    [
        (AidKind.HOME_TEACHING, dt.date(2025, 1, 1), False),
        (AidKind.HOME_TEACHING, dt.date(2025, 12, 31), False),
        (AidKind.HOME_TEACHING, dt.date(2024, 12, 31), True),
        (AidKind.GRANT, dt.date(2025, 6, 1), True),  # money is not teaching
    ],
)
def test_an_aid_of_kind_home_teaching_closes_the_gap(kind, aid_date, in_gap):
    person = child(dt.date(2015, 3, 1), name="未入学")
    EducationAidFactory(
        person=person, kind=kind, aid_date=aid_date, amount=None if kind == "home_teaching" else 500
    )

    assert gap() == ({"未入学"} if in_gap else set())


def test_register_population_on_31_december():
    child(
        dt.date(2015, 3, 1),
        name="年底前死亡",
        status=PersonStatus.DECEASED,
        status_changed_on=dt.date(2025, 12, 31),
    )
    child(
        dt.date(2015, 3, 1),
        name="次年迁出",
        status=PersonStatus.MOVED_OUT,
        status_changed_on=dt.date(2026, 1, 1),
    )
    late = child(dt.date(2015, 3, 1), name="次年发证")
    late.issued_on = dt.date(2026, 1, 1)
    late.save()

    assert gap() == {"次年迁出"}


def test_counts_by_street_and_scoped_count(clerk_user, other_clerk_user, staff_user):
    child(dt.date(2015, 3, 1))
    child(dt.date(2014, 3, 1))
    child(dt.date(2013, 3, 1), street=street("华侨路街道"))
    streets = [street("宁海路街道"), street("华侨路街道"), street("湖南路街道")]

    counts = selectors.gap_counts_by_street(YEAR, streets)

    assert [c["total"] for c in counts] == [2, 1, 0]
    assert (selectors.gap_count(clerk_user, YEAR), selectors.gap_count(other_clerk_user, YEAR)) == (2, 1)
    assert selectors.gap_count(staff_user, YEAR) == 3


@pytest.mark.parametrize("year", [2025, 2026])
def test_denominator_with_oldest_14_is_k07s(year):
    # Persons around every edge K07 has: ages 5, 6, 14, 15 on 31 August, in or out of the register,
    # surveyed that year or not, whatever their answer.
    cutoff = dt.date(year, 8, 31)
    for years, day in [(6, 1), (6, 0), (14, 0), (15, 1), (15, 0), (10, 0)]:
        birth = cutoff.replace(year=year - years) + dt.timedelta(days=day)
        for education in ("regular", "not_enrolled", "home", None):
            child(birth, education=education, year=year)
        child(birth, year=year, status=PersonStatus.DECEASED, status_changed_on=dt.date(year, 3, 1))
        child(birth, year=year - 1)
    k07 = DEFINITIONS["K07"].parts[0].denominator_rows(year).values_list("person_id", flat=True)

    ours = selectors.school_age_surveyed(year, oldest=14).values_list("pk", flat=True)

    assert (
        set(ours) == set(k07) and len(set(k07)) == 4 * 3
    )  # four birth days of age 6–14, three surveyed answers
