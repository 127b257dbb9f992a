"""Reads: snapshots of the last succeeded runs, targets, and live gap lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.models import Community, Street
from core.periods import reference_date
from core.roles import sees_all_streets
from registry.models import Person, Survey, registry_on_q

from .engine import DEFINITIONS, STREET_PATH, Base, default_target
from .models import (
    Indicator,
    IndicatorRun,
    IndicatorValue,
    ReferenceGrowth,
    RunStatus,
    StaleMark,
    SurveyCoverage,
    Target,
)
from .plan import PLAN, PLAN_YEARS

RECENT_RUNS = 50


def last_completed_run() -> IndicatorRun | None:
    """The most recent run that succeeded (what every reader shows; /healthz reads its finished_at)."""
    return IndicatorRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at", "-pk").first()


def default_years() -> list[int]:
    """The nightly run and "recompute now": the plan's years, every year staff entered a target for,
    and the current year (past the plan it shows as 规划期外, without an invented target)."""
    target_years = set(Target.objects.values_list("year", flat=True).distinct())
    this_year = timezone.localdate().year
    return sorted({*PLAN_YEARS, *(y for y in target_years if y <= this_year), this_year})


def target_years() -> list[int]:
    """The years of the targets page: those of default_years and the next one (a new plan's first
    year can be entered ahead)."""
    years = default_years()
    return sorted({*years, timezone.localdate().year + 1})


def runs_by_year() -> dict[int, int]:
    """For each year, the id of the most recent succeeded run that computed it.

    A run narrowed to some years (`compute_indicators --year 2023`) replaces those years only, so
    the dashboard keeps showing the other years from the run before.
    """
    return {year: run.pk for year, run in _latest_run_by_year(_recent_runs()).items()}


def _recent_runs() -> list[IndicatorRun]:
    """The most recent succeeded runs, newest first (the first is last_completed_run())."""
    return list(
        IndicatorRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at", "-pk")[:RECENT_RUNS]
    )


def _latest_run_by_year(recent: list[IndicatorRun]) -> dict[int, IndicatorRun]:
    chosen: dict[int, IndicatorRun] = {}
    for run in recent:
        for year in run.years or []:
            chosen.setdefault(int(year), run)
    return chosen


def _snapshot_q(chosen: dict[int, int], years=None) -> Q:
    q = Q(pk__in=[])
    for year, run_id in chosen.items():
        if years is None or year in years:
            q |= Q(run_id=run_id, year=year)
    return q


def snapshot_values(chosen: dict[int, int] | None = None, years=None) -> QuerySet[IndicatorValue]:
    chosen = runs_by_year() if chosen is None else chosen
    return IndicatorValue.objects.filter(_snapshot_q(chosen, years))


def snapshot_coverage(chosen: dict[int, int] | None = None, years=None) -> QuerySet[SurveyCoverage]:
    chosen = runs_by_year() if chosen is None else chosen
    return SurveyCoverage.objects.filter(_snapshot_q(chosen, years))


def indicator_meta() -> dict[str, dict]:
    """Names, attributes, baselines and units by code; the plan table fills in missing rows."""
    meta = {
        code: {
            "code": code,
            "name": name,
            "attribute": attribute,
            "attribute_label": "约束性" if attribute == "binding" else "预期性",
            "baseline": baseline,
            "unit": unit,
            "target_text": target_text,
        }
        for code, name, attribute, baseline, unit, _standing, target_text in PLAN
    }
    for indicator in Indicator.objects.all():
        meta[indicator.code].update(
            name=indicator.name,
            attribute=indicator.attribute,
            attribute_label=indicator.get_attribute_display(),
            baseline=indicator.baseline,
            unit=indicator.unit,
            target_text=indicator.target_text,
        )
    return meta


def target_lookup() -> Callable[[str, int], float | None]:
    """targets(code, year): the Target row, else the plan's standing rule; K01: the reference growth."""
    rows = {(t.indicator.code, t.year): float(t.value) for t in Target.objects.select_related("indicator")}
    standing = {
        code: float(value) if value is not None else None
        for code, value in Indicator.objects.values_list("code", "standing_target")
    }
    plan_standing = {row[0]: row[5] for row in PLAN}
    growth = {g.year: float(g.rate) for g in ReferenceGrowth.objects.all()}

    def targets(code: str, year: int) -> float | None:
        if code == "K01":
            return growth.get(year)
        if (code, year) in rows:
            return rows[(code, year)]
        return default_target(code, year, standing.get(code, plan_standing.get(code)))

    return targets


# ---------------------------------------------------------------------------------------------
# Gap lists, live from the engine's definitions


def gap_persons(
    code: str, year: int, street: Street | None = None, *, flags: bool = True
) -> QuerySet[Person]:
    """Persons in the denominator and not in the numerator (K04: missing at least one subsidy).

    With several parts (K04) and `flags`, each person is annotated with `missing_<part>` flags
    (`gap_flags`). `street` narrows the inner sets too, so a street's list never computes the whole
    district's.
    """
    in_gap = Q(pk__in=[])
    for part in _person_parts(code):
        rows = part.gap_rows(year)
        if street is not None:
            rows = rows.filter(**{STREET_PATH[part.base]: street})
        in_gap |= Q(pk__in=rows.values(_person_field(part)))
    persons = Person.objects.filter(in_gap)
    return persons.annotate(**gap_flags(code, year)) if flags else persons


def _in_candidates() -> RawSQL:
    """The persons of the gap's candidate ids, read by key: on PostgreSQL an index scan of the primary
    key for the array; SQLite (the quick start) has no arrays and looks each id up by `IN`."""
    if connection.vendor == "postgresql":
        sql = '"registry_person"."id" = ANY(ARRAY(SELECT id FROM candidates))'
    else:
        sql = '"registry_person"."id" IN (SELECT id FROM candidates)'
    return RawSQL(sql, [], output_field=BooleanField())


def gap_person_ids(
    code: str, year: int, street: Street | None, *, user, offset: int, limit: int
) -> tuple[list[int], int]:
    """One page of a person gap list as the user may see it: the ids of rows offset..offset+limit in
    the list's order (street, name, id) and the list's length, from ONE set-based query, so neither
    the ids of the other pages nor a second pass over the set for a COUNT are needed
    (registry.sections.page_by_ids reads the page's rows).

    Where no part reads the person table but for P(Y) (K03–K05, K08–K11), the query first takes each
    part's gap rows without P(Y): read from the surveys' partial indexes and anti-joined with the
    numerator's records, they never touch the person table. Only then are the persons read, by key,
    for P(Y), the street (a clerk's, or the one chosen, and the user's scope) and the list's order: the
    few persons of the gap instead of every person of the register hashed for every candidate row.
    Where a part's condition reads the person anyway (K06's and K07's ages), each part's gap rows carry
    the street and name of the person they join (`_gap_in_one_pass`). K04's two parts are a UNION (a
    person missing both is one row). The set is a MATERIALIZED CTE, then counted (`count(*) OVER ()`)
    and sorted to the page: written as one sorted, limited query, the planner takes the LIMIT for an
    early stop and walks every person in list order probing their surveys one by one (30 s at
    1,000,000 persons), although the count needs the whole set anyway.

    A page past the end reads no row and so no length: the length is then counted by a second query.
    """
    parts = _person_parts(code)
    candidates = [part.gap_rows(year, registry=part.base is Base.PERSON).order_by() for part in parts]
    if any(
        part.base is not Base.PERSON and _joins_persons(rows)
        for part, rows in zip(parts, candidates, strict=True)
    ):
        gap_sql, params = _gap_in_one_pass(parts, year, street, user)
    else:
        gap_sql, params = _gap_by_key(parts, candidates, year, street, user)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gap (id, street_order, name) AS MATERIALIZED ({gap_sql}) "
            "SELECT id, count(*) OVER () FROM gap ORDER BY street_order, name, id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
    if rows or not offset:
        return [pk for pk, _ in rows], rows[0][1] if rows else 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({gap_sql}) gap", params)
        return [], cursor.fetchone()[0]


def _joins_persons(rows: QuerySet) -> bool:
    """Whether the rows' query joins the person table (a join set up and then unused has no refcount)."""
    query = rows.query
    return any(
        join.table_name == Person._meta.db_table and query.alias_refcount[alias]
        for alias, join in query.alias_map.items()
    )


def _gap_by_key(parts, candidates, year: int, street: Street | None, user) -> tuple[str, list]:
    """(id, street order, name) of the gap: the parts' candidate ids, then their persons by key."""
    ids = [rows.values_list(_person_field(part)) for part, rows in zip(parts, candidates, strict=True)]
    union = ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]
    candidates_sql, candidates_params = union.query.sql_with_params()
    persons = Person.objects.for_user(user).filter(registry_on_q(reference_date(year)), _in_candidates())
    if street is not None:
        persons = persons.filter(street=street)
    gap_sql, gap_params = (
        persons.order_by().values_list("pk", "street__order", "name").query.sql_with_params()
    )
    return f"WITH candidates (id) AS MATERIALIZED ({candidates_sql}) {gap_sql}", [
        *candidates_params,
        *gap_params,
    ]


def _gap_in_one_pass(parts, year: int, street: Street | None, user) -> tuple[str, list]:
    """(id, street order, name) of the gap: each part's gap rows with the street and name of the person
    they join for P(Y)."""
    rows_of_parts = []
    for part in parts:
        rows = part.gap_rows(year)
        person = "" if part.base is Base.PERSON else "person__"
        if street is not None:
            rows = rows.filter(**{f"{person}street": street})
        if not sees_all_streets(user):  # a clerk's street, a community worker's community
            rows = rows.filter(**{f"{_person_field(part)}__in": Person.objects.for_user(user).values("pk")})
        rows_of_parts.append(
            rows.order_by().values_list(_person_field(part), f"{person}street__order", f"{person}name")
        )
    gap = rows_of_parts[0].union(*rows_of_parts[1:]) if len(rows_of_parts) > 1 else rows_of_parts[0]
    return gap.query.sql_with_params()


def gap_flags(code: str, year: int) -> dict[str, Exists]:
    """`missing_<part>` of each person, for the indicators of several parts (K04); none otherwise."""
    parts = _person_parts(code)
    if len(parts) < 2:
        return {}
    return {
        f"missing_{part.name}": Exists(part.gap_rows(year).filter(**{_person_field(part): OuterRef("pk")}))
        for part in parts
    }


def _person_parts(code: str) -> list:
    return [p for p in DEFINITIONS[code].parts if p.base is not Base.HOME]


def _person_field(part) -> str:
    return "pk" if part.base is Base.PERSON else "person_id"


def gap_loader(code: str, year: int) -> Callable[[list[int]], QuerySet]:
    """Reads the rows of one page of a gap list by id (persons with their `missing_<part>` flags)."""
    if code == "K12":
        return lambda ids: gap_homes(year).filter(pk__in=ids).select_related("street")
    flags = gap_flags(code, year)
    return lambda ids: (
        Person.objects.filter(pk__in=ids).select_related("street", "community").annotate(**flags)
    )


def gap_homes(year: int):
    return DEFINITIONS["K12"].parts[0].gap_rows(year)


def gap_counts_by_street(code: str, year: int, streets: QuerySet[Street]) -> list[dict]:
    """Officials' view of a gap list: how many per street, no names. One query per part."""
    definition = DEFINITIONS[code]
    counts: dict[int, dict[str, int]] = {}
    for part in definition.parts:
        path = STREET_PATH[part.base]
        for row in part.gap_rows(year).order_by().values(path).annotate(n=Count("pk")):
            counts.setdefault(row[path], {})[part.name] = row["n"]
    result = []
    for street in streets:
        by_part = counts.get(street.pk, {})
        result.append(
            {
                "street": street,
                "parts": [by_part.get(p.name, 0) for p in definition.parts],
                "total": sum(by_part.values()),
            }
        )
    return result


def gap_counts_by_community(code: str, year: int, street: Street) -> list[dict] | None:
    """Officials' view of a street's gap list: how many per community of the street, no names (None for
    the homes of K12, which belong to a street, not a community). One query per part; persons without
    a community are counted on a row of their own."""
    definition = DEFINITIONS[code]
    if any(part.base in (Base.HOME, Base.AUX_PROJECT) for part in definition.parts):
        return None
    counts: dict[int | None, dict[str, int]] = {}
    for part in definition.parts:
        street_path = STREET_PATH[part.base]
        path = street_path.removesuffix("street") + "community"
        rows = (
            part.gap_rows(year)
            .filter(**{street_path: street})
            .order_by()
            .values(path)
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts.setdefault(row[path], {})[part.name] = row["n"]
    communities = [*Community.objects.filter(street=street).order_by("name"), None]
    result = []
    for community in communities:
        by_part = counts.get(community.pk if community else None, {})
        if community is None and not by_part:
            continue
        result.append(
            {
                "community": community,
                "parts": [by_part.get(p.name, 0) for p in definition.parts],
                "total": sum(by_part.values()),
            }
        )
    return result


def survey_coverage_by_community(year: int, street: Street) -> list[dict]:
    """A street's survey coverage per community, live and counts only: certificate holders in the
    register on R(year) (P(Y), as the run counts them) and how many of them have the year's survey.

    One aggregate query, grouped by community and scoped by the street; every community of the street
    has a row, an empty one too (persons without a community are in the street's figure only)."""
    in_registry = registry_on_q(reference_date(year), "persons__")
    surveyed = Exists(Survey.objects.filter(person=OuterRef("persons__pk"), year=year))
    rows = (
        Community.objects.filter(street=street)
        .annotate(
            population=Count("persons", filter=in_registry),
            surveyed=Count("persons", filter=in_registry & Q(surveyed)),
        )
        .order_by("name")
    )
    return [
        {
            "community": c,
            "population": c.population,
            "surveyed": c.surveyed,
            "rate": c.surveyed * 100 / c.population if c.population else None,
        }
        for c in rows
    ]


# ---------------------------------------------------------------------------------------------
# The dashboard, the report and the export read snapshots only (a fixed number of queries).


@dataclass
class Snapshot:
    """Every stored figure of the latest runs, indexed for pages: values[(code, year, street_id)]."""

    chosen: dict[int, int]
    years: list[int]
    streets: list[Street]
    meta: dict[str, dict]
    values: dict[tuple[str, int, int | None], IndicatorValue]
    coverage: dict[tuple[int, int | None], SurveyCoverage]
    last_run: IndicatorRun | None
    # per year: when its figures were computed, and whether a change since awaits a recompute
    computed_at: dict[int, dt.datetime] = field(default_factory=dict)
    pending: set[int] = field(default_factory=set)

    @property
    def codes(self) -> list[str]:
        return list(self.meta)

    def value(self, code: str, year: int, street_id: int | None) -> IndicatorValue | None:
        return self.values.get((code, year, street_id))

    def default_year(self) -> int | None:
        """The last finished year that was computed (officials evaluate whole years)."""
        if not self.years:
            return None
        finished = [y for y in self.years if y < timezone.localdate().year]
        return max(finished or self.years)


# The stored figures of a set of runs never change once the runs have succeeded, so each web process
# keeps the last set it read: the dashboard then costs a few small queries instead of loading and
# building some thousand rows on every request (docs/performance.md, load test). Keyed by the chosen
# runs and the last run's finish time; names, targets' labels and streets are still read every time.
_figures_cache: dict[tuple, tuple[dict, dict]] = {}


def _snapshot_figures(chosen: dict[int, int], last_run: IndicatorRun | None) -> tuple[dict, dict]:
    last = (last_run.pk, last_run.finished_at) if last_run else None
    key = (tuple(sorted(chosen.items())), last)
    figures = _figures_cache.get(key)
    if figures is None:
        values = {(v.code, v.year, v.street_id): v for v in snapshot_values(chosen)}
        coverage = {(c.year, c.street_id): c for c in snapshot_coverage(chosen)}
        figures = (values, coverage)
        _figures_cache.clear()
        _figures_cache[key] = figures
    return figures


def snapshot() -> Snapshot:
    recent = _recent_runs()
    latest = _latest_run_by_year(recent)
    chosen = {year: run.pk for year, run in latest.items()}
    last_run = recent[0] if recent else None  # last_completed_run(), without a query of its own
    values, coverage = _snapshot_figures(chosen, last_run)
    return Snapshot(
        chosen=chosen,
        years=sorted(chosen),
        streets=list(Street.objects.order_by("order", "pk")),
        meta=indicator_meta(),
        values=values,
        coverage=coverage,
        last_run=last_run,
        computed_at={year: run.finished_at for year, run in latest.items()},
        pending=pending_years(chosen),
    )


def pending_years(years) -> set[int]:
    """Of `years`, those with a change not yet recomputed (indicators.freshness marks them; one
    query on a table that holds the changes of the last half minute or so)."""
    ranges = set(StaleMark.objects.values_list("from_year", "to_year").distinct())
    return {y for y in years if any(start <= y and (end is None or y <= end) for start, end in ranges)}
