"""K01–K12 for every year and street in one PostgreSQL statement that reads each table once.

`engine` states the indicators as Django querysets, one grouped query per base and year (the
reference engine, and the one SQLite's quick start uses). This module states the same rules as
one SELECT so that a run reads persons, surveys and every domain table once, whatever the number
of years: the figures of a 6-year run cost about one sequential read of the tables. Tests check
that both engines give identical figures (indicators/tests/test_engine_sql.py) and, through the
run, that they agree with a plain-Python reading of the spec (test_reference_implementation.py).

How the statement works. Years are bits of a bigint: bit (Y − first year of the run). Every
year-dependent rule becomes a per-subject year mask, computed once per row with the year's dates
(R(Y), 1 January, the age cut-offs) as parameters:
- `grants`, `placements`, `services`, `jobs`: per person, the years in which he has a record of each
  kind active in Y (services: dated in Y; jobs: active on R(Y)), `bit_or` over his records;
- `pm`: per person, the years in which he is in P(Y), is under 16 on R(Y), is aged 6 to 14 on
  31 August, plus the masks above;
- surveys are joined to `pm` once, tested against their own year's bit and grouped by
  (year, street) with conditional aggregates: one pass over the survey table for all years;
- person-based figures (population, K04's nursing part, K05's served), K02's trainings and K12's
  homes and projects are counted by street and mask (a few thousand groups); Python adds up the
  groups whose mask has the year's bit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection

from care_homes.models import AuxProject, CareHome, Placement
from employment.models import Employment, Graduate, Training
from registry.models import ENROLLED_EDUCATION, LOW_INCOME_TYPES, Person, PersonStatus, Survey
from registry.periods import reference_date, years_before
from rehab.models import REHABILITATION_KINDS, RehabKind, RehabService
from subsidies.models import Grant, GrantKind

from .plan import BASE_YEAR

# A bigint holds 63 usable bits: a run spans at most that many years.
MAX_SPAN = 62


def available() -> bool:
    return connection.vendor == "postgresql"


def year_span(years: list[int]) -> tuple[int, int]:
    """The years the masks cover: the run's years, the year before each (K01), 2020 (K01's compound
    growth) and K02's counting window from 2021."""
    first, last = min(years) - 1, max(years)
    if last > BASE_YEAR:
        first = min(first, BASE_YEAR)
    if last - first > MAX_SPAN:
        raise ValueError(f"a run spans at most {MAX_SPAN} years")
    return first, last


class _Statement:
    """The SQL text and its named parameters, built together."""

    def __init__(self, first: int, last: int):
        self.first, self.last = first, last
        self.years = range(first, last + 1)
        self.params: dict[str, object] = {"first": first, "last": last}

    def param(self, name: str, value) -> str:
        self.params[name] = value
        return f"%({name})s"

    def bit(self, year: int) -> int:
        return 1 << (year - self.first)

    def mask(self, condition) -> str:
        """bigint with bit (Y − first) set where `condition(Y)` (an SQL condition) holds."""
        terms = [f"CASE WHEN {condition(year)} THEN {self.bit(year)} ELSE 0 END" for year in self.years]
        return "(" + " | ".join(terms) + ")"

    def ref(self, year: int) -> str:
        return self.param(f"ref_{year}", reference_date(year))

    def jan1(self, year: int) -> str:
        return self.param(f"jan1_{year}", dt.date(year, 1, 1))

    def active_in(self, start: str, end: str):
        """active_in_q: start ≤ R(Y) and (no end, or end ≥ 1 January Y)."""
        return lambda y: f"{start} <= {self.ref(y)} AND ({end} IS NULL OR {end} >= {self.jan1(y)})"

    def values(self, name: str, values) -> str:
        return self.param(name, tuple(str(v) for v in values))


def _build(first: int, last: int) -> _Statement:
    st = _Statement(first, last)
    p = st.param
    active_grant = st.active_in("start_month", "end_month")
    grant_masks = ",\n".join(
        f"bit_or(CASE WHEN kind = {p('grant_' + name, str(kind))} THEN {st.mask(active_grant)} ELSE 0 END) AS {name}"
        for name, kind in (
            ("dibao", GrantKind.DIBAO),
            ("living", GrantKind.LIVING_ALLOWANCE),
            ("nursing", GrantKind.NURSING_ALLOWANCE),
        )
    )
    service_bit = "(1::bigint << (date_part('year', service_date)::int - %(first)s))"
    on_ref = lambda y: f"start_date <= {st.ref(y)} AND (end_date IS NULL OR end_date >= {st.ref(y)})"  # noqa: E731
    in_registry = lambda y: (  # noqa: E731
        f"p.issued_on <= {st.ref(y)} AND (p.status = %(active)s OR p.status_changed_on > {st.ref(y)})"
    )
    st.param("active", str(PersonStatus.ACTIVE))
    under_16 = lambda y: f"p.birth_date > {p(f'u16_{y}', years_before(reference_date(y), 16))}"  # noqa: E731
    school_age = lambda y: (  # noqa: E731
        f"p.birth_date <= {p(f'a6_{y}', years_before(dt.date(y, 8, 31), 6))}"
        f" AND p.birth_date > {p(f'a15_{y}', years_before(dt.date(y, 8, 31), 15))}"
    )
    training_in_year = lambda y: f"start_date >= {st.jan1(y)} AND start_date <= {st.ref(y)}"  # noqa: E731
    operating = lambda y: (  # noqa: E731
        f"h.opened_on <= {st.ref(y)} AND (h.closed_on IS NULL OR h.closed_on > {st.ref(y)})"
    )
    low_income = f"s.low_income_type IN {st.values('low_income', LOW_INCOME_TYPES)}"
    enrolled = f"s.education IN {st.values('enrolled', ENROLLED_EDUCATION)}"
    pension_ok = f"s.pension_insurance IN {st.values('pension_ok', ['insured', 'receiving'])}"

    def has(mask: str) -> str:
        return f"pm.{mask} & b.bit <> 0"

    survey_counts = {
        "K03_dibao": ("s.dibao_eligible", has("dibao")),
        "K04_living": (low_income, has("living")),
        "K05_care": ("s.needs_care", has("care")),
        "K06_insurance": (
            "s.medical_insurance <> ''",
            f"s.medical_insurance = 'insured' AND ({has('u16')} OR {pension_ok})",
        ),
        "K07_school": (has("school"), enrolled),
        "K08_rehab": ("s.needs_rehab", has("rehab")),
        "K09_device": ("s.needs_device", has("device")),
        "K10_barrier_free": (f"s.needs_barrier_free AND {low_income}", has("barrier_free")),
    }
    survey_aggregates = ",\n".join(
        f'count(*) FILTER (WHERE {den}) AS "{name}_den", count(*) FILTER (WHERE {den} AND {num}) AS "{name}_num"'
        for name, (den, num) in survey_counts.items()
    )
    complete = "s.household_income IS NOT NULL AND s.household_size IS NOT NULL"
    t = {m: m._meta.db_table for m in (Person, Survey, Grant, Placement, RehabService, Employment)}
    t.update({m: m._meta.db_table for m in (Graduate, Training, CareHome, AuxProject)})
    sql = f"""
WITH grants AS (
    SELECT person_id, {grant_masks}
    FROM {t[Grant]} WHERE kind IN ({p("grant_dibao", str(GrantKind.DIBAO))}, {p("grant_living", str(GrantKind.LIVING_ALLOWANCE))},
        {p("grant_nursing", str(GrantKind.NURSING_ALLOWANCE))})
    GROUP BY person_id
), placements AS (
    SELECT person_id, bit_or({st.mask(st.active_in("start_date", "end_date"))}) AS care
    FROM {t[Placement]} GROUP BY person_id
), services AS (
    SELECT person_id,
        bit_or({service_bit}) FILTER (WHERE kind IN {st.values("rehabilitation", REHABILITATION_KINDS)}) AS rehab,
        bit_or({service_bit}) FILTER (WHERE kind = {p("device", str(RehabKind.ASSISTIVE_DEVICE))}) AS device,
        bit_or({service_bit}) FILTER (WHERE kind = {p("barrier_free", str(RehabKind.BARRIER_FREE))}) AS barrier_free
    FROM {t[RehabService]}
    WHERE service_date >= {p("first_day", dt.date(first, 1, 1))} AND service_date <= {p("last_day", dt.date(last, 12, 31))}
    GROUP BY person_id
), pm AS MATERIALIZED (
    SELECT p.id, p.street_id, {st.mask(in_registry)} AS pop,
        {st.mask(under_16)} AS u16, {st.mask(school_age)} AS school,
        (p.grade IN ('1', '2') OR (p.grade = '3' AND p.category IN ('5', '6'))) AS severe,
        coalesce(g.dibao, 0) AS dibao, coalesce(g.living, 0) AS living, coalesce(g.nursing, 0) AS nursing,
        coalesce(pl.care, 0) AS care, coalesce(r.rehab, 0) AS rehab, coalesce(r.device, 0) AS device,
        coalesce(r.barrier_free, 0) AS barrier_free
    FROM {t[Person]} p
    LEFT JOIN grants g ON g.person_id = p.id
    LEFT JOIN placements pl ON pl.person_id = p.id
    LEFT JOIN services r ON r.person_id = p.id
), jobs AS (
    SELECT person_id, bit_or({st.mask(on_ref)}) AS employed
    FROM {t[Employment]} WHERE person_id IN (SELECT person_id FROM {t[Graduate]})
    GROUP BY person_id
), trained AS (
    SELECT person_id, bit_or({st.mask(training_in_year)}) AS years
    FROM {t[Training]} GROUP BY person_id
), homes AS (
    SELECT h.id, h.street_id, {st.mask(operating)} AS operating
    FROM {t[CareHome]} h WHERE h.is_disabled_home
), projects AS (
    SELECT a.home_id, {st.mask(st.active_in("a.start_date", "a.end_date"))} AS active
    FROM {t[AuxProject]} a
)
SELECT 'survey', row_to_json(x) FROM (
    SELECT s.year, pm.street_id AS street, count(*) AS surveyed,
        (sum(s.household_income) FILTER (WHERE {complete}))::text AS "K01_income",
        sum(s.household_size) FILTER (WHERE {complete}) AS "K01_size",
        {survey_aggregates}
    FROM {t[Survey]} s
    CROSS JOIN LATERAL (SELECT 1::bigint << (s.year - %(first)s) AS bit) b
    JOIN pm ON pm.id = s.person_id
    WHERE s.year BETWEEN %(first)s AND %(last)s AND pm.pop & b.bit <> 0
    GROUP BY s.year, pm.street_id
) x
UNION ALL
SELECT 'persons', row_to_json(x) FROM (
    SELECT street_id AS street, pop, severe, nursing & pop AS nursing, care & pop AS care, count(*) AS n
    FROM pm WHERE pop <> 0 GROUP BY 1, 2, 3, 4, 5
) x
UNION ALL
SELECT 'graduates', row_to_json(x) FROM (
    SELECT gr.graduation_year AS year, pm.street_id AS street, count(*) AS den,
        count(*) FILTER (WHERE coalesce(j.employed, 0) & (1::bigint << (gr.graduation_year - %(first)s)) <> 0) AS num
    FROM {t[Graduate]} gr JOIN pm ON pm.id = gr.person_id LEFT JOIN jobs j ON j.person_id = gr.person_id
    WHERE gr.graduation_year BETWEEN %(first)s AND %(last)s
        AND pm.pop & (1::bigint << (gr.graduation_year - %(first)s)) <> 0
    GROUP BY 1, 2
) x
UNION ALL
SELECT 'trained', row_to_json(x) FROM (
    SELECT pm.street_id AS street, tr.years & pm.pop AS years, count(*) AS n
    FROM trained tr JOIN pm ON pm.id = tr.person_id
    WHERE tr.years & pm.pop <> 0 GROUP BY 1, 2
) x
UNION ALL
SELECT 'homes', row_to_json(x) FROM (
    SELECT h.street_id AS street, h.operating,
        h.operating & coalesce((SELECT bit_or(pr.active) FROM projects pr WHERE pr.home_id = h.id), 0) AS with_project,
        count(*) AS n
    FROM homes h WHERE h.operating <> 0 GROUP BY 1, 2, 3
) x
UNION ALL
SELECT 'projects', row_to_json(x) FROM (
    SELECT h.street_id AS street, pr.active & h.operating AS active, count(*) AS n
    FROM projects pr JOIN homes h ON h.id = pr.home_id
    WHERE pr.active & h.operating <> 0 GROUP BY 1, 2
) x
"""
    return st, sql


def results(years: list[int]) -> dict[tuple[str, int], dict[int, dict[str, object]]]:
    """Aggregates of every base, year and street, keyed like engine.Results (base by its value)."""
    first, last = year_span(years)
    statement, sql = _build(first, last)
    with connection.cursor() as cursor:
        cursor.execute(sql, statement.params)
        rows = cursor.fetchall()

    out: dict[tuple[str, int], dict[int, dict[str, object]]] = defaultdict(lambda: defaultdict(dict))

    def add(base: str, year: int, street: int, name: str, number: int) -> None:
        by_name = out[(base, year)][street]
        by_name[name] = by_name.get(name, 0) + number

    for part, row in rows:
        if part == "survey":
            year, street = row.pop("year"), row.pop("street")
            income = row.pop("K01_income")
            row["K01_income"] = Decimal(income) if income is not None else None
            out[("survey", year)][street].update(row)
        elif part == "graduates":
            out[("graduate", row["year"])][row["street"]].update(
                K11_employed_den=row["den"], K11_employed_num=row["num"]
            )
        else:
            for year in statement.years:
                bit = statement.bit(year)
                street, n = row["street"], row["n"]
                if part == "persons" and row["pop"] & bit:
                    add("person", year, street, "population", n)
                    add("person", year, street, "K05_served", n if row["care"] & bit else 0)
                    if row["severe"]:
                        add("person", year, street, "K04_nursing_den", n)
                        add("person", year, street, "K04_nursing_num", n if row["nursing"] & bit else 0)
                elif part == "trained":
                    window = _training_window(statement, year)
                    if row["years"] & window:
                        add("training", year, street, "K02_persons", n)
                        add("training", year, street, "K02_in_year", n if row["years"] & bit else 0)
                elif part == "homes" and row["operating"] & bit:
                    add("home", year, street, "K12_project_den", n)
                    add("home", year, street, "K12_project_num", n if row["with_project"] & bit else 0)
                elif part == "projects" and row["active"] & bit:
                    add("aux_project", year, street, "K12_projects", n)
    return {key: dict(by_street) for key, by_street in out.items()}


def _training_window(statement: _Statement, year: int) -> int:
    """K02 counts trainings started in [2021, Y] (2020 and earlier: in Y alone), as bits."""
    first = year if year <= BASE_YEAR else BASE_YEAR + 1
    return sum(statement.bit(y) for y in range(max(first, statement.first), year + 1))
