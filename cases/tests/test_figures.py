"""Monthly and yearly figures: counts by source, category and street, on-time rate and the median days
to close, computed by hand; a constant number of queries whatever the number of cases."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import selectors
from cases.tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]


def _closed(street, received, closed, deadline, **kwargs):
    return CaseFactory(
        street=street,
        received_on=received,
        closed_on=closed,
        deadline=deadline,
        reply="已答复",
        outcome="resolved",
        **kwargs,
    )


@pytest.fixture
def cases(own_street, other_street):
    # March: three closed (2, 10 and 4 days; the 10-day one late), April: one closed (3 days), one open
    _closed(own_street, dt.date(2025, 3, 3), dt.date(2025, 3, 5), dt.date(2025, 3, 10), source="12345")
    _closed(own_street, dt.date(2025, 3, 3), dt.date(2025, 3, 13), dt.date(2025, 3, 10), source="12345")
    _closed(
        other_street,
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 31),
        source="letter",
        category="rehab",
    )
    _closed(other_street, dt.date(2025, 4, 1), dt.date(2025, 4, 4), dt.date(2025, 4, 8), source="visit")
    CaseFactory(
        street=own_street, received_on=dt.date(2025, 4, 1), deadline=dt.date(2025, 4, 8)
    )  # open, overdue
    CaseFactory(
        street=own_street, received_on=dt.date(2024, 12, 30), deadline=dt.date(2025, 1, 7)
    )  # last year


def test_the_years_figures_by_hand(cases):
    figures = selectors.figures(year=2025)
    total = figures["total"]

    assert (total.received, total.closed, total.on_time) == (5, 4, 3)
    assert total.on_time_rate == 75.0
    assert total.median_days == 3.5  # 2, 3, 4, 10
    assert total.overdue_open == 2
    march, april = figures["months"][2], figures["months"][3]
    assert (march.received, march.closed, march.on_time, march.median_days) == (3, 3, 2, 4)
    assert (april.received, april.closed, april.on_time, april.median_days) == (2, 1, 1, 3)
    hotline = next(line for line in figures["sources"] if line.key == "12345")
    assert (hotline.received, hotline.closed, hotline.on_time, hotline.median_days) == (
        3,
        2,
        1,
        6,
    )  # + the open one
    rehab = next(line for line in figures["categories"] if line.key == "rehab")
    assert (rehab.received, rehab.closed) == (1, 1)
    by_street = {line.label: line for line in figures["streets"]}
    assert (by_street["宁海路街道"].received, by_street["宁海路街道"].overdue_open) == (3, 2)
    assert (by_street["华侨路街道"].closed, by_street["华侨路街道"].on_time_rate) == (2, 100.0)


def test_a_months_figures(cases):
    total = selectors.figures(year=2025, month=4)["total"]

    assert (total.received, total.closed, total.median_days) == (2, 1, 3)


def test_median_of_a_histogram():
    assert selectors.median_of({}) is None
    assert selectors.median_of({5: 1}) == 5
    assert selectors.median_of({1: 2, 9: 2}) == 5
    assert selectors.median_of({1: 1, 2: 1, 10: 1}) == 2
    assert selectors.median_of({3: 1, 4: 1}) == 3.5


def test_figures_page_shows_counts_without_names_and_runs_a_constant_number_of_queries(
    cases, client_for, official_user, own_street, django_assert_num_queries
):
    client = client_for(official_user)
    body = client.get(reverse("cases:figures"), {"year": 2025}).content.decode()
    assert "75.0%" in body and "3.5 天" in body and "家属（母亲）" not in body

    for index in range(20):
        CaseFactory(street=own_street, number=f"MORE-{index}", received_on=dt.date(2025, 5, 1 + index))
    # session, user, groups (3); streets (1); two GROUPING SETS reads and the overdue count by street
    # (3; nine separate GROUP BYs on SQLite); session (3)
    with django_assert_num_queries(10):
        client.get(reverse("cases:figures"), {"year": 2025, "month": 5})


def test_the_grouping_sets_read_of_postgresql_gives_the_rows_of_the_portable_queries(cases):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS are read on PostgreSQL only")
    for month in (None, 3, 4):
        start, end = selectors._period(2025, month)
        params = {
            "start": start,
            "end": end,
            "year_start": dt.date(2025, 1, 1),
            "year_end": dt.date(2026, 1, 1),
        }
        by_sets = selectors._figures_by_grouping_sets(params)
        by_queries = selectors._figures_by_queries(params)

        def normalized(tables):
            return [
                sorted(
                    tuple(selectors._days(v) if isinstance(v, dt.timedelta) else v for v in row)
                    for row in table
                )
                for table in tables
            ]

        assert normalized(by_sets[0]) == normalized(by_queries[0])
        assert normalized(by_sets[1]) == normalized(by_queries[1])
