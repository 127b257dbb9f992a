"""Reads of 教育助学 for pages, the API, the workbench and the figures; the 送教上门 gap list.

The gap list (未入学且无送教上门) sits next to K07's. Its denominator restates K07's with the
shared predicates of core and registry (the domain layer may not import indicators):

- P(Y): `registry_on_q(R(Y))`, the person is in the register on R(Y) (31 December, today for the
  current year);
- S(p, Y): the person has a survey of year Y;
- school age: completed age on 31 August of Y from 6 — K07 stops at 14 (nine cohorts of 义务教育);
  issue 15 asks for "school-age children (6–15)", so this list runs through 15 (ten cohorts).
  `school_age_q(year, oldest=14)` is K07's denominator exactly (tests/test_gaps.py compares them).

A child is in the gap when that survey says 未入学 and no 送教上门 is dated in Y: neither an aid of
kind 送教上门 nor a 送教上门 visit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.models import Street
from core.periods import aged_at_least_q, aged_under_q, reference_date, today
from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from registry.models import Education, Person, Survey, registry_on_q

YOUNGEST = 6
OLDEST = 15
FIRST_YEAR = 2020


def aids_of_person(person: Person) -> QuerySet[EducationAid]:
    return EducationAid.objects.filter(person=person).order_by("-aid_date", "kind", "id")


def visits_of_person(person: Person) -> QuerySet[HomeTeachingVisit]:
    return HomeTeachingVisit.objects.filter(person=person).order_by("-visit_date", "id")


def aid_list(*, user) -> QuerySet[EducationAid]:
    """The aid records of the user's persons, newest first (the 教育助学 list)."""
    return (
        EducationAid.objects.for_user(user)
        .select_related("person", "person__street")
        .order_by("-aid_date", "-id")
    )


def visit_list(*, user) -> QuerySet[HomeTeachingVisit]:
    """The 送教上门 visits of the user's persons, newest first."""
    return (
        HomeTeachingVisit.objects.for_user(user)
        .select_related("person", "person__street")
        .order_by("-visit_date", "-id")
    )


# ---------------------------------------------------------------------------------------------
# The gap list


def gap_years() -> list[int]:
    """The years of the year picker: the current year back to the plan's base year."""
    return list(range(today().year, FIRST_YEAR - 1, -1))


def default_year() -> int:
    """The picker's first choice: the latest year with surveys up to this year (the gap list reads
    the year's survey, which is taken during the year), else this year. One index-only query."""
    latest = (
        Survey.objects.filter(year__lte=today().year, year__gte=FIRST_YEAR)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or today().year


def school_age_q(year: int, *, youngest: int = YOUNGEST, oldest: int = OLDEST, prefix: str = "") -> Q:
    """Completed age on 31 August of `year` from `youngest` through `oldest`."""
    cutoff = dt.date(year, 8, 31)
    return aged_at_least_q(youngest, cutoff, prefix) & aged_under_q(oldest + 1, cutoff, prefix)


def school_age_surveyed(year: int, *, oldest: int = OLDEST) -> QuerySet[Person]:
    """Persons in P(Y) of school age on 31 August of Y with a survey of Y (K07's denominator with
    oldest=14)."""
    return Person.objects.filter(
        registry_on_q(reference_date(year)),
        school_age_q(year, oldest=oldest),
        Exists(Survey.objects.filter(person=OuterRef("pk"), year=year)),
    )


def home_teaching_in_q(year: int) -> Q:
    """The person has a 送教上门 (an aid of that kind, or a visit) dated in `year`."""
    aid = EducationAid.objects.filter(person=OuterRef("pk"), kind=AidKind.HOME_TEACHING, aid_date__year=year)
    visit = HomeTeachingVisit.objects.filter(person=OuterRef("pk"), visit_date__year=year)
    return Q(Exists(aid)) | Q(Exists(visit))


def gap_persons(year: int) -> QuerySet[Person]:
    """School-age children in P(Y) whose survey of Y says 未入学, with no 送教上门 dated in Y
    (unscoped: callers start from it and apply `for_user`)."""
    not_enrolled = Survey.objects.filter(person=OuterRef("pk"), year=year, education=Education.NOT_ENROLLED)
    return Person.objects.filter(
        registry_on_q(reference_date(year)), school_age_q(year), Exists(not_enrolled)
    ).exclude(home_teaching_in_q(year))


def gap_loader(ids: list[int]) -> QuerySet[Person]:
    """The persons of one page of the gap list, by id (registry.sections.page_by_ids)."""
    return Person.objects.filter(pk__in=ids).select_related("street", "community")


def gap_count(user, year: int) -> int:
    """The workbench's count: the gap of the user's scope (street, community, or the district)."""
    return gap_persons(year).for_user(user).count()


def gap_counts_by_street(year: int, streets: list[Street]) -> list[dict]:
    """Officials' view: how many children per street, no names. One query."""
    counts = dict(gap_persons(year).order_by().values_list("street").annotate(n=Count("pk")))
    return [{"street": street, "total": counts.get(street.pk, 0)} for street in streets]


# ---------------------------------------------------------------------------------------------
# Figures (aggregates: no names)


def figures(year: int, streets: list[Street]) -> dict:
    """One year's figures: 人次 and amount by stage and kind, per street; 送教上门 visits; the gap.

    Two aggregate queries whatever the number of records: the year's aids (by street, stage and
    kind; the stage × kind table is their sum over streets) and visits (by street) in one statement
    that joins the persons once, then the gap by street.
    """
    zero = Decimal(0)
    by_stage_kind: dict[tuple[str, str], dict] = defaultdict(lambda: {"n": 0, "amount": zero})
    per_street: dict[int, dict] = defaultdict(lambda: {"n": 0, "amount": zero, "visits": 0})
    for street_id, stage, kind, n, amount in _year_rows_by_street(year):
        if stage is None:  # the visits' rows
            per_street[street_id]["visits"] = n
            continue
        cell = by_stage_kind[(stage, kind)]
        cell["n"] += n
        cell["amount"] += amount or zero
        per_street[street_id]["n"] += n
        per_street[street_id]["amount"] += amount or zero
    stage_rows = []
    for stage in Stage:
        cells = [dict(by_stage_kind[(stage.value, kind.value)]) for kind in AidKind]
        stage_rows.append(
            {
                "label": stage.label,
                "cells": cells,
                "n": sum(c["n"] for c in cells),
                "amount": sum((c["amount"] for c in cells), zero),
            }
        )
    kind_totals = [
        {
            "n": sum(r["cells"][i]["n"] for r in stage_rows),
            "amount": sum((r["cells"][i]["amount"] for r in stage_rows), zero),
        }
        for i, _ in enumerate(AidKind)
    ]
    gaps = gap_counts_by_street(year, streets)
    rows = [
        {"street": street, **per_street[street.pk], "gap": gap["total"]}
        for street, gap in zip(streets, gaps, strict=True)
    ]
    total = {
        key: sum((r[key] for r in rows), zero if key == "amount" else 0)
        for key in ("n", "amount", "visits", "gap")
    }
    return {
        "kinds": [kind.label for kind in AidKind],
        "stage_rows": stage_rows,
        "kind_totals": kind_totals,
        "street_rows": rows,
        "total": total,
    }


_YEAR_ROWS_SQL = """
SELECT p.street_id, r.stage, r.kind, COUNT(*), SUM(r.amount)
FROM (
    SELECT person_id, stage, kind, amount FROM {aids} WHERE aid_date BETWEEN %s AND %s
    UNION ALL
    SELECT person_id, NULL, NULL, NULL FROM {visits} WHERE visit_date BETWEEN %s AND %s
) AS r
JOIN {persons} AS p ON p.id = r.person_id
GROUP BY p.street_id, r.stage, r.kind
"""


def _year_rows_by_street(year: int) -> list[tuple]:
    """(street id, stage, kind, 人次, amount) of the year's aids, and (street id, None, None, visits,
    None) of its 送教上门 visits: one statement, so the persons are hashed once, not per table."""
    sql = _YEAR_ROWS_SQL.format(
        aids=EducationAid._meta.db_table,
        visits=HomeTeachingVisit._meta.db_table,
        persons=Person._meta.db_table,
    )
    with connection.cursor() as cursor:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        cursor.execute(sql, [first, last, first, last])
        return cursor.fetchall()
