"""K01–K12 for every year and street in one PostgreSQL statement that reads each table once.

`engine` states the indicators as Django querysets, one grouped query per base and year (the
reference engine, and the one SQLite's quick start uses). This module states the same rules as
one SELECT so that a run reads persons, surveys and every domain table once, whatever the number
of years (a 6-year run still costs many times one sequential read of them: docs/performance.md,
"Indicator recompute vs. sequential read"). Tests check
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

Every figure is a count or a sum over persons and their records, so the register can be cut into
ranges of person ids, each counted by the same statement, and the parts' figures added up: a run
counts its parts at once on as many connections sharing its snapshot (`results`,
settings.INDICATORS_SQL_PARTS), which is what a second core buys (docs/performance.md, "Fourth
session: two parts at once").
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import OperationalError, connection, transaction

from care_homes.models import AuxProject, CareHome, Placement
from core.periods import reference_date, years_before
from employment.models import Employment, Graduate, Training
from registry.models import ENROLLED_EDUCATION, LOW_INCOME_TYPES, Person, PersonStatus, Survey
from rehab.models import REHABILITATION_KINDS, RehabKind, RehabService
from subsidies.models import Grant, GrantKind

from .plan import BASE_YEAR

logger = logging.getLogger(__name__)

# A bigint holds 63 usable bits: a run spans at most that many years.
MAX_SPAN = 62

# The statement's settings. work_mem is PostgreSQL's built-in default, 4 MB, whatever the server's
# configuration (the queryset engine asks for far more: engine.QUERYSET_SETTINGS): with more memory the
# planner hashes the 1.13 million surveys in one batch and the grants and services by person, and the statement costs about a quarter more CPU
# (2026-12-03, 250,000 persons: 3.2 s against 2.5 s); in 4 MB it merges the per-person masks in
# person order and hashes the surveys in batches that stay in the CPU caches. Where the server has JIT
# (its `jit` setting decides), the statement's expressions (the masks' CASE trees, the 17 conditional
# aggregates run on every survey) are compiled but neither optimised nor inlined: emitting them takes
# about 0.2 s, LLVM's optimisation about a second more than it saves. From an estimated cost of
# 2,000,000 (about 200,000 persons; 250,000 persons estimate 2.8 million and ran 2.55 s compiled against
# 2.85 s): a smaller district's run of a second or less would not win the 0.2 s back (docs/performance.md).
SETTINGS = (
    "SET LOCAL work_mem = '4MB'; SET LOCAL jit_above_cost = 2000000;"
    " SET LOCAL jit_optimize_above_cost = -1; SET LOCAL jit_inline_above_cost = -1;"
)


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

    @property
    def full(self) -> int:
        return (1 << len(self.years)) - 1

    def date(self, value: dt.date) -> str:
        return self.param(f"d{value:%Y%m%d}", value)

    def threshold(self, column: str, op: str, bound, null: int = 0) -> str:
        """bigint with bit (Y − first) set where `column op bound(Y)` holds (`null` if the column is NULL).

        bound(Y) never decreases with Y (R(Y), 1 January, age cut-offs), so the years where the
        condition holds are a suffix of the span (<, <=) or a prefix (>, >=). A binary search
        over the bounds finds it: about log2(years) comparisons per row instead of one per year.
        """
        bounds = [bound(year) for year in self.years]
        assert all(a <= b for a, b in itertools.pairwise(bounds)), bounds
        suffix = op in ("<", "<=")

        def answer(k: int) -> int:  # k: the number of leading years outside the suffix, or inside the prefix
            return self.full & ~((1 << k) - 1) if suffix else (1 << k) - 1

        def search(lo: int, hi: int) -> str:
            if lo == hi:
                return str(answer(lo))
            mid = (lo + hi) // 2
            holds = f"{column} {op} {self.date(bounds[mid])}"
            first, second = (
                (search(lo, mid), search(mid + 1, hi)) if suffix else (search(mid + 1, hi), search(lo, mid))
            )
            return f"CASE WHEN {holds} THEN {first} ELSE {second} END"

        return f"(CASE WHEN {column} IS NULL THEN {null} ELSE {search(0, len(bounds))} END)::bigint"

    def ref(self, year: int) -> dt.date:
        return reference_date(year)

    def active_in(self, start: str, end: str) -> str:
        """active_in_q: start ≤ R(Y) and (no end, or end ≥ 1 January Y)."""
        return (
            f"{self.threshold(start, '<=', self.ref)}"
            f" & {self.threshold(end, '>=', lambda y: dt.date(y, 1, 1), null=self.full)}"
        )

    def active_on_ref(self, start: str, end: str) -> str:
        """Active on R(Y) (K11): start ≤ R(Y) and (no end, or end ≥ R(Y))."""
        return (
            f"{self.threshold(start, '<=', self.ref)} & {self.threshold(end, '>=', self.ref, null=self.full)}"
        )

    def dated_in(self, column: str) -> str:
        """Dated in Y: 1 January Y ≤ column ≤ 31 December Y."""
        return (
            f"{self.threshold(column, '>=', lambda y: dt.date(y, 1, 1))}"
            f" & {self.threshold(column, '<=', lambda y: dt.date(y, 12, 31))}"
        )

    def values(self, name: str, values) -> str:
        return self.param(name, tuple(str(v) for v in values))


# The conditions on survey rows (`conditions` in _build) that make each survey-based part:
# name -> (denominator conditions, numerator conditions); a row counts when all hold.
SURVEY_PARTS = {
    "K03_dibao": (("dibao_eligible",), ("has_dibao",)),
    "K04_living": (("low_income",), ("has_living",)),
    "K05_care": (("needs_care",), ("has_care",)),
    "K06_insurance": (("medical_recorded",), ("covered",)),
    "K07_school": (("school_age",), ("enrolled",)),
    "K08_rehab": (("needs_rehab",), ("has_rehab",)),
    "K09_device": (("needs_device",), ("has_device",)),
    "K10_barrier_free": (("needs_barrier_free", "low_income"), ("has_barrier_free",)),
}


@dataclass(frozen=True)
class Part:
    """The persons a statement covers: ids in [low, high) (None: unbounded), and whether it counts
    the homes and their projects (which belong to no person: one part only)."""

    low: int | None = None
    high: int | None = None
    homes: bool = True


WHOLE = Part()


def _build(first: int, last: int, part: Part = WHOLE) -> tuple[_Statement, str]:
    st = _Statement(first, last)
    p = st.param
    bounds = []
    if part.low is not None:
        bounds.append((">=", p("part_low", part.low)))
    if part.high is not None:
        bounds.append(("<", p("part_high", part.high)))

    def mine(column: str, joiner: str = "AND") -> str:
        """The part's persons, as a condition on `column` led by `joiner` ('' for the whole register)."""
        if not bounds:
            return ""
        return f"{joiner} " + " AND ".join(f"{column} {op} {value}" for op, value in bounds)

    low_income = f"s.low_income_type IN {st.values('low_income', LOW_INCOME_TYPES)}"
    has = lambda mask: f"pm.{mask} & b.bit <> 0"  # noqa: E731
    conditions = {
        "dibao_eligible": "s.dibao_eligible",
        "has_dibao": has("dibao"),
        "low_income": low_income,
        "has_living": has("living"),
        "needs_care": "s.needs_care",
        "has_care": has("care"),
        "medical_recorded": "s.medical_insurance <> ''",
        "covered": f"s.medical_insurance = 'insured' AND ({has('u16')}"
        f" OR s.pension_insurance IN {st.values('pension_ok', ['insured', 'receiving'])})",
        "school_age": has("school"),
        "enrolled": f"s.education IN {st.values('enrolled', ENROLLED_EDUCATION)}",
        "needs_rehab": "s.needs_rehab",
        "has_rehab": has("rehab"),
        "needs_device": "s.needs_device",
        "has_device": has("device"),
        "needs_barrier_free": "s.needs_barrier_free",
        "has_barrier_free": has("barrier_free"),
    }
    survey_aggregates = ",\n        ".join(
        f'count(*) FILTER (WHERE {" AND ".join(conditions[c] for c in den)}) AS "{name}_den", '
        f'count(*) FILTER (WHERE {" AND ".join(conditions[c] for c in den + num)}) AS "{name}_num"'
        for name, (den, num) in SURVEY_PARTS.items()
    )
    complete = "s.household_income IS NOT NULL AND s.household_size IS NOT NULL"
    grant_kinds = {
        "dibao": p("dibao", str(GrantKind.DIBAO)),
        "living": p("living", str(GrantKind.LIVING_ALLOWANCE)),
        "nursing": p("nursing", str(GrantKind.NURSING_ALLOWANCE)),
    }
    grant_masks = ", ".join(
        f"bit_or(active) FILTER (WHERE kind = {kind}) AS {name}" for name, kind in grant_kinds.items()
    )
    service_masks = (
        f"bit_or(dated) FILTER (WHERE kind IN {st.values('rehabilitation', REHABILITATION_KINDS)}) AS rehab, "
        f"bit_or(dated) FILTER (WHERE kind = {p('device', str(RehabKind.ASSISTIVE_DEVICE))}) AS device, "
        f"bit_or(dated) FILTER (WHERE kind = {p('barrier_free', str(RehabKind.BARRIER_FREE))}) AS barrier_free"
    )
    in_registry = (
        f"{st.threshold('p.issued_on', '<=', st.ref)} & CASE WHEN p.status = {p('active', str(PersonStatus.ACTIVE))}"
        f" THEN {st.full} ELSE {st.threshold('p.status_changed_on', '>', st.ref)} END"
    )
    under_16 = st.threshold("p.birth_date", ">", lambda y: years_before(reference_date(y), 16))
    school_age = (
        f"{st.threshold('p.birth_date', '<=', lambda y: years_before(dt.date(y, 8, 31), 6))}"
        f" & {st.threshold('p.birth_date', '>', lambda y: years_before(dt.date(y, 8, 31), 15))}"
    )
    training_in_year = f"{st.threshold('start_date', '>=', lambda y: dt.date(y, 1, 1))} & {st.threshold('start_date', '<=', st.ref)}"
    operating = (
        f"{st.threshold('h.opened_on', '<=', st.ref)}"
        f" & {st.threshold('h.closed_on', '>', st.ref, null=st.full)}"
    )
    t = {m: m._meta.db_table for m in (Person, Survey, Grant, Placement, RehabService, Employment)}
    t.update({m: m._meta.db_table for m in (Graduate, Training, CareHome, AuxProject)})
    sql = f"""
WITH grants AS (
    SELECT person_id, {grant_masks}
    FROM (
        SELECT person_id, kind, {st.active_in("start_month", "end_month")} AS active
        FROM {t[Grant]} WHERE kind IN ({", ".join(grant_kinds.values())}) {mine("person_id")}
    ) g
    GROUP BY person_id
), placements AS (
    SELECT person_id, bit_or({st.active_in("start_date", "end_date")}) AS care
    FROM {t[Placement]} {mine("person_id", "WHERE")} GROUP BY person_id
), services AS (
    SELECT person_id, {service_masks}
    FROM (
        SELECT person_id, kind, {st.dated_in("service_date")} AS dated
        FROM {t[RehabService]}
        WHERE service_date >= {st.date(dt.date(first, 1, 1))} AND service_date <= {st.date(dt.date(last, 12, 31))}
            {mine("person_id")}
    ) r
    GROUP BY person_id
), pm AS MATERIALIZED (
    SELECT p.id, p.street_id, {in_registry} AS pop, {under_16} AS u16, {school_age} AS school,
        (p.grade IN ('1', '2') OR (p.grade = '3' AND p.category IN ('5', '6'))) AS severe,
        coalesce(g.dibao, 0) AS dibao, coalesce(g.living, 0) AS living, coalesce(g.nursing, 0) AS nursing,
        coalesce(pl.care, 0) AS care, coalesce(r.rehab, 0) AS rehab, coalesce(r.device, 0) AS device,
        coalesce(r.barrier_free, 0) AS barrier_free
    FROM {t[Person]} p
    LEFT JOIN grants g ON g.person_id = p.id
    LEFT JOIN placements pl ON pl.person_id = p.id
    LEFT JOIN services r ON r.person_id = p.id
    {mine("p.id", "WHERE")}
), jobs AS (
    SELECT person_id, bit_or({st.active_on_ref("start_date", "end_date")}) AS employed
    FROM {t[Employment]} WHERE person_id IN (SELECT person_id FROM {t[Graduate]}) {mine("person_id")}
    GROUP BY person_id
), trained AS (
    SELECT person_id, bit_or({training_in_year}) AS years
    FROM {t[Training]} {mine("person_id", "WHERE")} GROUP BY person_id
), homes AS (
    SELECT h.id, h.street_id, {operating} AS operating
    FROM {t[CareHome]} h WHERE h.is_disabled_home AND {p("homes", part.homes)}
), projects AS (
    SELECT a.home_id, {st.active_in("a.start_date", "a.end_date")} AS active
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
    WHERE s.year BETWEEN %(first)s AND %(last)s AND pm.pop & b.bit <> 0 {mine("s.person_id")}
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


def results(
    years: list[int], *, parts: int | None = None
) -> dict[tuple[str, int], dict[int, dict[str, object]]]:
    """Aggregates of every base, year and street, keyed like engine.Results (base by its value).

    The register is split into `parts` ranges of person ids (settings.INDICATORS_SQL_PARTS by
    default), each counted by the same statement: every figure is a count or a sum over persons
    and their records, so the parts' figures add up to the register's. Inside a REPEATABLE READ
    transaction that has written nothing (a run's), the parts run at once, one on this connection
    and each other on a helper connection that shares this transaction's snapshot: a run then uses
    as many cores as parts. Elsewhere (autocommit, a test's transaction) they run one after
    another on this connection; `parts` left to the default then means one statement.
    """
    first, last = year_span(years)
    statement = _Statement(first, last)
    out: dict[tuple[str, int], dict[int, dict[str, object]]] = defaultdict(lambda: defaultdict(dict))

    def add(base: str, year: int, street: int, name: str, number) -> None:
        by_name = out[(base, year)][street]
        if number is None:  # a sum over no rows (K01's, where no survey of the part is complete)
            by_name.setdefault(name, None)
        else:
            by_name[name] = (by_name.get(name) or 0) + number

    for kind, row in _rows(first, last, parts):
        street, n = row["street"], row.get("n")
        if kind == "survey":
            year = row.pop("year")
            del row["street"]
            income = row.pop("K01_income")
            row["K01_income"] = Decimal(income) if income is not None else None
            for name, number in row.items():
                add("survey", year, street, name, number)
        elif kind == "graduates":
            add("graduate", row["year"], street, "K11_employed_den", row["den"])
            add("graduate", row["year"], street, "K11_employed_num", row["num"])
        else:
            for year in statement.years:
                bit = statement.bit(year)
                if kind == "persons" and row["pop"] & bit:
                    add("person", year, street, "population", n)
                    add("person", year, street, "K05_served", n if row["care"] & bit else 0)
                    if row["severe"]:
                        add("person", year, street, "K04_nursing_den", n)
                        add("person", year, street, "K04_nursing_num", n if row["nursing"] & bit else 0)
                elif kind == "trained" and row["years"] & _training_window(statement, year):
                    add("training", year, street, "K02_persons", n)
                    add("training", year, street, "K02_in_year", n if row["years"] & bit else 0)
                elif kind == "homes" and row["operating"] & bit:
                    add("home", year, street, "K12_project_den", n)
                    add("home", year, street, "K12_project_num", n if row["with_project"] & bit else 0)
                elif kind == "projects" and row["active"] & bit:
                    add("aux_project", year, street, "K12_projects", n)
    return {key: dict(by_street) for key, by_street in out.items()}


def _rows(first: int, last: int, parts: int | None) -> list[tuple[str, dict]]:
    """The statement's rows, of the whole register or of each part (see `results`)."""
    with connection.cursor() as cursor:
        wanted = settings.INDICATORS_SQL_PARTS if parts is None else parts
        snapshot = _shareable_snapshot(cursor) if wanted > 1 else None
        parts = wanted if snapshot or parts is not None else 1
        if parts <= 1:
            return _execute(cursor, *_build(first, last))
        cursor.execute(f"SELECT min(id), max(id) FROM {Person._meta.db_table}")
        low, high = cursor.fetchone()
        if low is None:  # an empty register
            return _execute(cursor, *_build(first, last))
        statements = [_build(first, last, part) for part in split(low, high, parts)]
        if snapshot is None:
            return [row for statement, sql in statements for row in _execute(cursor, statement, sql)]
        helpers = [_Helper(snapshot, statement, sql) for statement, sql in statements[1:]]
        for helper in helpers:
            helper.start()
        try:
            rows = _execute(cursor, *statements[0])
        except BaseException:
            for helper in helpers:  # the run has failed: the other parts are not waited for
                helper.cancel()
            raise
        finally:
            for helper in helpers:
                helper.join()
        for helper in helpers:
            if isinstance(helper.error, OperationalError) and not helper.connected:
                # no connection to be had (max_connections): this one counts the part (an error of
                # the statement itself, a timeout say, is the run's error)
                logger.warning("indicator part counted on the run's connection: %s", helper.error)
                rows.extend(_execute(cursor, helper.statement, helper.sql))
            else:
                rows.extend(helper.result())
        return rows


def split(low: int, high: int, parts: int) -> list[Part]:
    """`parts` ranges of ids covering every id (the first and last open-ended), even in [low, high];
    homes and projects are counted in the first."""
    cuts = [low + (high - low + 1) * k // parts for k in range(1, parts)]
    bounds = [None, *cuts, None]
    return [Part(bounds[k], bounds[k + 1], homes=k == 0) for k in range(parts)]


def _execute(cursor, statement: _Statement, sql: str) -> list[tuple[str, dict]]:
    # One round trip: the settings ride with the statement (as one implicit transaction when
    # autocommit is on; otherwise they last until the caller's transaction ends). Several
    # statements with parameters need client-side binding: psycopg2, or psycopg 3 without
    # the server_side_binding option.
    cursor.execute(f"{SETTINGS} {sql}", statement.params)
    return cursor.fetchall()


def _shareable_snapshot(cursor) -> str | None:
    """This transaction's exported snapshot, when other connections may read through it and see
    what this one sees: REPEATABLE READ (one snapshot for the whole transaction) and nothing
    written yet (no transaction id), as in a run, on a primary (a standby exports no snapshot). None
    otherwise, and inside a savepoint (an atomic block within the transaction), from which
    PostgreSQL exports no snapshot either."""
    if not connection.in_atomic_block or any(connection.savepoint_ids):
        return None
    cursor.execute(
        "SELECT current_setting('transaction_isolation') = 'repeatable read'"
        " AND txid_current_if_assigned() IS NULL AND NOT pg_is_in_recovery()"
    )
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("SELECT pg_export_snapshot()")
    return cursor.fetchone()[0]


class _Helper(threading.Thread):
    """One part's statement on a connection of its own, in a transaction that imports the
    caller's snapshot: the same data, read by another backend (another core)."""

    def __init__(self, snapshot: str, statement: _Statement, sql: str) -> None:
        super().__init__(name="indicators-part", daemon=True)
        self.snapshot, self.statement, self.sql = snapshot, statement, sql
        self.rows: list[tuple[str, dict]] | None = None
        self.error: BaseException | None = None
        self.connected = False
        self._cancelled = threading.Event()
        self._lock = threading.Lock()  # the database connection's life, against cancel()
        self._database = None

    def run(self) -> None:
        try:
            with self._lock:
                connection.ensure_connection()
                self.connected = True
                self._database = connection.connection
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [self.snapshot])
                if not self._cancelled.is_set():
                    self.rows = _execute(cursor, self.statement, self.sql)
        except BaseException as exc:  # re-raised in the caller's thread
            self.error = exc
        finally:
            with self._lock:
                self._database = None
                connection.close()  # this thread's own connection

    def cancel(self) -> None:
        """Stop the part: its statement is cancelled on the server (psycopg2's cancel request, which
        another thread may send), or not started."""
        self._cancelled.set()
        with self._lock:
            if self._database is not None:
                try:
                    self._database.cancel()
                except Exception:  # best effort: the run's own error is the one raised, and the
                    # remaining helpers are still cancelled (psycopg2's own error, not Django's)
                    logger.warning("could not cancel an indicator part", exc_info=True)

    def result(self) -> list[tuple[str, dict]]:
        if self.error is not None:
            raise self.error
        return self.rows


def _training_window(statement: _Statement, year: int) -> int:
    """K02 counts trainings started in [2021, Y] (2020 and earlier: in Y alone), as bits."""
    first = year if year <= BASE_YEAR else BASE_YEAR + 1
    return sum(statement.bit(y) for y in range(max(first, statement.first), year + 1))
