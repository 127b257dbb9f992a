"""Working days from the chinesecalendar package, with a weekends-only fallback for unknown years."""

import datetime as dt

from core import workdays


def test_national_day_holidays_are_not_working_days_and_make_up_sunday_is():
    assert not workdays.is_workday(dt.date(2025, 10, 1))  # 国庆节, a Wednesday
    assert workdays.is_workday(dt.date(2025, 9, 28))  # 调休: a Sunday worked
    assert workdays.is_workday(dt.date(2025, 10, 11))  # 调休: a Saturday worked


def test_workdays_between_excludes_the_start_day_and_counts_the_end_day():
    monday, friday = dt.date(2025, 3, 3), dt.date(2025, 3, 7)
    assert workdays.workdays_between(monday, friday) == 4
    assert workdays.workdays_between(friday, monday) == 0
    # the Spring Festival week of 2025 (28 January to 4 February off, 26 January and 8 February worked)
    assert workdays.workdays_between(dt.date(2025, 1, 24), dt.date(2025, 2, 10)) == 7


def test_add_workdays_and_latest_start_past_agree():
    on = dt.date(2025, 10, 31)
    cutoff = workdays.latest_start_past(20, on)
    assert workdays.workdays_between(cutoff, on) == 21
    assert workdays.workdays_between(cutoff + dt.timedelta(days=1), on) == 20
    assert workdays.add_workdays(cutoff + dt.timedelta(days=1), 20) == on


def test_unknown_year_falls_back_to_weekends_only():
    assert not workdays.knows_year(2099)
    assert workdays.is_workday(dt.date(2099, 1, 1))  # a Thursday: no holiday list for 2099
    assert not workdays.is_workday(dt.date(2099, 1, 3))  # a Saturday
