"""K01–K12 as declarative, set-based definitions (shared/spec/indicators.md is the contract).

Every indicator is defined once, here, from the shared predicates (registry_on_q for P(Y),
active_in_q, dated-in-year, completed-age bounds). The same definitions serve the nightly run and
the live gap lists, so a gap list always agrees with the figures.

How a run queries the database: each indicator asks for aggregates over a *base* (surveys of Y in
P(Y), persons in P(Y), graduates of Y, 残疾人之家 operating on R(Y), ...). On PostgreSQL,
`engine_sql` computes every base, year and street in one statement that reads each table once
(`by_sql`). Elsewhere (SQLite's quick start), and as the reference the tests compare it with,
`by_querysets` merges the aggregates of all indicators over the same base and year into ONE query
grouped by street (`values(street).annotate(Count(..., filter=...))`): a fixed number of queries per
year. Either way the count does not depend on the number of persons, records or streets. The district
row is the sum of the street rows (K01 pools Σincome / Σhousehold size over every street).

Choices where the spec is silent (a statistician's reading), each pinned by a test:
- K01: a survey counts when both 家庭年收入 and 家庭人口数 are filled; CAGR needs M(2020) and M(Y).
  Street rows carry the same reference-growth target as the district.
- K02: a person trained several times counts once; the 2020 row has no target; a training dated
  after R(Y) (planned courses) is not counted yet.
- K05 "served" counts persons in P(Y) whose placement is active in Y, need stated or not.
- K06: "records medical insurance" means the 医疗保险 answer is not empty; an empty pension answer
  at 16 or over is "not covered".
- K12 "projects" counts the projects active in Y at the homes of the denominator only.
- Rate indicators compare value and target exactly (numerator × 100 ≥ target × denominator), so
  a rate like 69.99999… from floating point never decides "met".
- Street rows of K01–K12 use the district's targets (K02 excepted, whose target is the district's).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from care_homes.models import AuxProject, CareHome, Placement
from core.models import Street
from core.periods import active_in_q, aged_at_least_q, aged_under_q, reference_date
from employment.models import Employment, Graduate, Training
from registry.models import ENROLLED_EDUCATION, LOW_INCOME_TYPES, SEVERE_Q, Person, Survey, registry_on_q
from rehab.models import REHABILITATION_KINDS, RehabKind, RehabService
from subsidies.models import Grant, GrantKind

from . import engine_sql
from .plan import BASE_YEAR, PLAN_YEARS, k02_target

# ---------------------------------------------------------------------------------------------
# Bases: the row sets indicators count, each with its street path and its person reference.


class Base(Enum):
    SURVEY = "survey"  # surveys S(p, Y) of persons in P(Y): one row per person
    PERSON = "person"  # persons in P(Y)
    GRADUATE = "graduate"  # graduate records of year Y whose person is in P(Y)
    HOME = "home"  # 残疾人之家 operating on R(Y)
    AUX_PROJECT = "aux_project"  # auxiliary employment projects active in Y at those homes
    TRAINING = "training"  # K02's trainings: start in the counted window, person in P(start year)


STREET_PATH = {
    Base.SURVEY: "person__street",
    Base.PERSON: "street",
    Base.GRADUATE: "person__street",
    Base.HOME: "street",
    Base.AUX_PROJECT: "home__street",
    Base.TRAINING: "person__street",
}
# The field of a base row that names its subject (the person; K12: the home) in numerators.
SUBJECT_REF = {
    Base.SURVEY: "person_id",
    Base.PERSON: "pk",
    Base.GRADUATE: "person_id",
    Base.HOME: "pk",
}


def operating_homes(year: int) -> QuerySet:
    return CareHome.objects.disabled_persons_homes().operating_on(reference_date(year))


def training_window_q(first_year: int, last_year: int) -> Q:
    """Trainings that started in [1 January first_year, R(last_year)] whose person was in
    P(year the training started)."""
    window = Q()
    for year in range(first_year, last_year + 1):
        window |= Q(
            start_date__gte=dt.date(year, 1, 1), start_date__lte=reference_date(year)
        ) & registry_on_q(reference_date(year), "person__")
    return window


def base_queryset(base: Base, year: int, *, registry: bool = True) -> QuerySet:
    """The base's rows of `year`. `registry=False` leaves out P(Y) for the bases that reach their person
    through a relation (surveys, graduates): the caller then applies it to the persons itself."""
    ref = reference_date(year)
    in_registry = registry_on_q(ref, "person__") if registry else Q()
    if base is Base.SURVEY:
        return Survey.objects.filter(in_registry, year=year)
    if base is Base.PERSON:
        return Person.objects.filter(registry_on_q(ref))
    if base is Base.GRADUATE:
        return Graduate.objects.filter(in_registry, graduation_year=year)
    if base is Base.HOME:
        return operating_homes(year)
    if base is Base.AUX_PROJECT:
        return AuxProject.objects.active_in(year).filter(home__in=operating_homes(year))
    if base is Base.TRAINING:
        first = year if year <= BASE_YEAR else BASE_YEAR + 1
        return Training.objects.filter(training_window_q(first, year))
    raise ValueError(base)


# ---------------------------------------------------------------------------------------------
# Numerator building blocks: does the subject (person or home) have a matching record?
#
# A related-record numerator has two SQL forms with the same meaning. A run counts with
# `subject IN (records)`: PostgreSQL hashes the records once (the run raises work_mem) instead of
# probing an index per person. A gap list asks for `NOT EXISTS (records of this subject)`, an
# anti-join that stays fast at any work_mem (NOT IN over a large set would not).


@dataclass(frozen=True)
class Related:
    """The subject has at least one record of `records(year)`, linked by `link`."""

    records: Callable[[int], QuerySet]
    link: str = "person_id"

    def count_q(self, year: int, ref: str) -> Q:
        return Q(**{f"{ref}__in": self.records(year).values(self.link)})

    def gap_q(self, year: int, ref: str) -> Q:
        return ~Q(Exists(self.records(year).filter(**{self.link: OuterRef(ref)})))


@dataclass(frozen=True)
class Condition:
    """A condition on the base row itself (survey answers, ages)."""

    condition: Callable[[int], Q]

    def count_q(self, year: int, ref: str) -> Q:
        return self.condition(year)

    def gap_q(self, year: int, ref: str) -> Q:
        return ~self.condition(year)


Numerator = Related | Condition


def has_grant(kind: str) -> Related:
    return Related(
        lambda year: Grant.objects.filter(active_in_q(year, "start_month", "end_month"), kind=kind)
    )


has_placement = Related(lambda year: Placement.objects.filter(active_in_q(year, "start_date", "end_date")))


def has_rehab_service(kinds: Iterable[str]) -> Related:
    kinds = tuple(kinds)
    return Related(lambda year: RehabService.objects.filter(kind__in=kinds, service_date__year=year))


def _employed_on_reference_date(year: int) -> QuerySet:
    ref_date = reference_date(year)
    return Employment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=ref_date), start_date__lte=ref_date
    )


has_employment_on_reference_date = Related(_employed_on_reference_date)
has_aux_project = Related(
    lambda year: AuxProject.objects.filter(active_in_q(year, "start_date", "end_date")), link="home_id"
)


def _covered_by_insurance(year: int) -> Q:
    """K06: medical insurance, plus pension insurance from 16 (completed years on R(Y))."""
    pension_ok = Q(pension_insurance__in=["insured", "receiving"])
    under_16 = aged_under_q(16, reference_date(year), "person__")
    return Q(medical_insurance="insured") & (under_16 | pension_ok)


is_covered_by_insurance = Condition(_covered_by_insurance)
is_enrolled = Condition(lambda year: Q(education__in=list(ENROLLED_EDUCATION)))


def always(year: int) -> Q:
    return Q()


# ---------------------------------------------------------------------------------------------
# Definitions


@dataclass(frozen=True)
class Part:
    """A denominator (a filter on its base) and a numerator (a further filter on the same rows)."""

    name: str
    label: str  # what a gap-list row is missing
    base: Base
    denominator: Callable[[int], Q]
    numerator: Numerator

    def denominator_q(self, year: int) -> Q:
        return self.denominator(year)

    def numerator_q(self, year: int) -> Q:
        return self.numerator.count_q(year, SUBJECT_REF[self.base])

    def denominator_rows(self, year: int, *, registry: bool = True) -> QuerySet:
        return base_queryset(self.base, year, registry=registry).filter(self.denominator_q(year))

    def gap_rows(self, year: int, *, registry: bool = True) -> QuerySet:
        """Rows in the denominator and not in the numerator: the year's work list (`registry`: see
        base_queryset)."""
        rows = self.denominator_rows(year, registry=registry)
        return rows.filter(self.numerator.gap_q(year, SUBJECT_REF[self.base]))


@dataclass(frozen=True)
class SideCount:
    """A headcount reported beside an indicator (K05 served, K12 projects)."""

    name: str
    base: Base
    condition: Numerator | None = None


@dataclass
class ValueRow:
    code: str
    year: int
    street_id: int | None
    numerator: float | None
    denominator: float | None
    value: float | None
    target: float | None
    met: bool | None
    extra: dict = field(default_factory=dict)


# results[(base, year)][street_id] = {aggregate name: number}
Results = dict[tuple[Base, int], dict[int, dict[str, object]]]


@dataclass(frozen=True)
class RateIndicator:
    code: str
    parts: tuple[Part, ...]
    side_counts: tuple[SideCount, ...] = ()
    sub_rates: dict[str, str] = field(default_factory=dict)  # extra key -> part name
    kind = "rate"

    def aggregates(self, year: int) -> dict[tuple[Base, int], dict[str, object]]:
        wanted: dict[tuple[Base, int], dict[str, object]] = defaultdict(dict)
        for part in self.parts:
            den = part.denominator_q(year)
            wanted[(part.base, year)][f"{self.code}_{part.name}_den"] = Count("pk", filter=den)
            wanted[(part.base, year)][f"{self.code}_{part.name}_num"] = Count(
                "pk", filter=den & part.numerator_q(year)
            )
        for side in self.side_counts:
            condition = side.condition.count_q(year, SUBJECT_REF[side.base]) if side.condition else Q()
            wanted[(side.base, year)][f"{self.code}_{side.name}"] = Count("pk", filter=condition)
        return wanted

    def rows(self, year: int, streets: list[int], results: Results, target: float | None) -> list[ValueRow]:
        def figures(street_id: int | None) -> tuple[int, int, dict]:
            num = den = 0
            extra: dict = {}
            part_figures = {}
            for part in self.parts:
                p_num = _sum(results, part.base, year, street_id, f"{self.code}_{part.name}_num")
                p_den = _sum(results, part.base, year, street_id, f"{self.code}_{part.name}_den")
                part_figures[part.name] = (p_num, p_den)
                num, den = num + p_num, den + p_den
            for key, part_name in self.sub_rates.items():
                extra[key] = rate(*part_figures[part_name])
            for side in self.side_counts:
                extra[side.name] = _sum(results, side.base, year, street_id, f"{self.code}_{side.name}")
            return num, den, extra

        rows = []
        for street_id in [None, *streets]:
            num, den, extra = figures(street_id)
            value = rate(num, den)
            met = None if value is None or target is None else Fraction(num * 100, den) >= _fraction(target)
            rows.append(ValueRow(self.code, year, street_id, num, den, value, target, met, extra))
        return rows


@dataclass(frozen=True)
class TrainingIndicator:
    """K02: distinct persons trained since 2021 (2020: in 2020), a district target."""

    code: str = "K02"
    kind = "count"

    def aggregates(self, year: int) -> dict[tuple[Base, int], dict[str, object]]:
        return {
            (Base.TRAINING, year): {
                "K02_persons": Count("person", distinct=True),
                "K02_in_year": Count("person", distinct=True, filter=Q(start_date__year=year)),
            }
        }

    def rows(self, year: int, streets: list[int], results: Results, target: float | None) -> list[ValueRow]:
        rows = []
        for street_id in [None, *streets]:
            persons = _sum(results, Base.TRAINING, year, street_id, "K02_persons")
            in_year = _sum(results, Base.TRAINING, year, street_id, "K02_in_year")
            row_target = target if street_id is None else None
            met = None if row_target is None else persons >= row_target
            rows.append(
                ValueRow(
                    self.code,
                    year,
                    street_id,
                    persons,
                    None,
                    float(persons),
                    row_target,
                    met,
                    {"trained_in_year": in_year},
                )
            )
        return rows


@dataclass(frozen=True)
class IncomeGrowthIndicator:
    """K01: growth of M(Y) = Σ household income / Σ household size over surveys of Y in P(Y)."""

    code: str = "K01"
    kind = "growth"

    @staticmethod
    def years_needed(year: int) -> list[int]:
        return sorted({year, year - 1, BASE_YEAR} if year > BASE_YEAR else {year, year - 1})

    def aggregates(self, year: int) -> dict[tuple[Base, int], dict[str, object]]:
        complete = Q(household_income__isnull=False, household_size__isnull=False)
        return {
            (Base.SURVEY, y): {
                "K01_income": Sum("household_income", filter=complete),
                "K01_size": Sum("household_size", filter=complete),
            }
            for y in self.years_needed(year)
        }

    def mean_income(self, results: Results, year: int, street_id: int | None) -> float | None:
        income = _sum(results, Base.SURVEY, year, street_id, "K01_income")
        size = _sum(results, Base.SURVEY, year, street_id, "K01_size")
        return float(Decimal(income) / Decimal(size)) if size else None

    def rows(self, year: int, streets: list[int], results: Results, target: float | None) -> list[ValueRow]:
        rows = []
        for street_id in [None, *streets]:
            current = self.mean_income(results, year, street_id)
            previous = self.mean_income(results, year - 1, street_id)
            value = (current / previous - 1) * 100 if current is not None and previous else None
            cagr = None
            if year > BASE_YEAR:
                base = self.mean_income(results, BASE_YEAR, street_id)
                if current is not None and base:
                    cagr = ((current / base) ** (1 / (year - BASE_YEAR)) - 1) * 100
            met = None if value is None or target is None else value >= target
            rows.append(
                ValueRow(
                    self.code,
                    year,
                    street_id,
                    current,
                    previous,
                    value,
                    target,
                    met,
                    {"cagr_since_2020": cagr},
                )
            )
        return rows


def _low_income(year: int) -> Q:
    return Q(low_income_type__in=list(LOW_INCOME_TYPES))


def _severe(year: int) -> Q:
    return SEVERE_Q


def _aged_6_to_14_on_31_august(year: int) -> Q:
    cutoff = dt.date(year, 8, 31)
    return aged_at_least_q(6, cutoff, "person__") & aged_under_q(15, cutoff, "person__")


DEFINITIONS = {
    "K01": IncomeGrowthIndicator(),
    "K02": TrainingIndicator(),
    "K03": RateIndicator(
        "K03",
        (
            Part(
                "dibao",
                "最低生活保障",
                Base.SURVEY,
                lambda y: Q(dibao_eligible=True),
                has_grant(GrantKind.DIBAO),
            ),
        ),
    ),
    "K04": RateIndicator(
        "K04",
        (
            Part(
                "living",
                "困难残疾人生活补贴",
                Base.SURVEY,
                _low_income,
                has_grant(GrantKind.LIVING_ALLOWANCE),
            ),
            Part(
                "nursing", "重度残疾人护理补贴", Base.PERSON, _severe, has_grant(GrantKind.NURSING_ALLOWANCE)
            ),
        ),
        sub_rates={"living_rate": "living", "nursing_rate": "nursing"},
    ),
    "K05": RateIndicator(
        "K05",
        (Part("care", "托养服务", Base.SURVEY, lambda y: Q(needs_care=True), has_placement),),
        side_counts=(SideCount("served", Base.PERSON, has_placement),),
    ),
    "K06": RateIndicator(
        "K06",
        (
            Part(
                "insurance",
                "养老保险或医疗保险",
                Base.SURVEY,
                lambda y: ~Q(medical_insurance=""),
                is_covered_by_insurance,
            ),
        ),
    ),
    "K07": RateIndicator(
        "K07", (Part("school", "义务教育入学", Base.SURVEY, _aged_6_to_14_on_31_august, is_enrolled),)
    ),
    "K08": RateIndicator(
        "K08",
        (
            Part(
                "rehab",
                "基本康复服务",
                Base.SURVEY,
                lambda y: Q(needs_rehab=True),
                has_rehab_service(REHABILITATION_KINDS),
            ),
        ),
    ),
    "K09": RateIndicator(
        "K09",
        (
            Part(
                "device",
                "辅助器具适配",
                Base.SURVEY,
                lambda y: Q(needs_device=True),
                has_rehab_service([RehabKind.ASSISTIVE_DEVICE]),
            ),
        ),
    ),
    "K10": RateIndicator(
        "K10",
        (
            Part(
                "barrier_free",
                "无障碍改造",
                Base.SURVEY,
                lambda y: Q(needs_barrier_free=True) & _low_income(y),
                has_rehab_service([RehabKind.BARRIER_FREE]),
            ),
        ),
    ),
    "K11": RateIndicator(
        "K11", (Part("employed", "就业", Base.GRADUATE, always, has_employment_on_reference_date),)
    ),
    "K12": RateIndicator(
        "K12",
        (Part("project", "辅助性就业项目", Base.HOME, always, has_aux_project),),
        side_counts=(SideCount("projects", Base.AUX_PROJECT),),
    ),
}
CODES = list(DEFINITIONS)
GAP_CODES = [code for code, d in DEFINITIONS.items() if d.kind == "rate"]


# ---------------------------------------------------------------------------------------------
# Helpers


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator × 100 at full precision; no denominator, no value."""
    return numerator * 100 / denominator if denominator else None


def _fraction(number: float) -> Fraction:
    return Fraction(Decimal(str(number)))


def _sum(results: Results, base: Base, year: int, street_id: int | None, name: str):
    by_street = results.get((base, year), {})
    if street_id is not None:
        return by_street.get(street_id, {}).get(name) or 0
    return sum((row.get(name) or 0) for row in by_street.values())


# ---------------------------------------------------------------------------------------------
# A run


@dataclass
class Computation:
    values: list[ValueRow]
    coverage: list[tuple[int, int | None, int, int]]  # year, street, surveyed, population


def compute(years: Iterable[int], targets: Callable[[str, int], float | None]) -> Computation:
    """Compute every indicator for `years` and every street; `targets(code, year)` gives the target."""
    years = sorted(set(years))
    streets = list(Street.objects.order_by("order", "pk").values_list("pk", flat=True))

    results = by_sql(years) if engine_sql.available() else by_querysets(years)

    values = []
    coverage = []
    for year in years:
        for code, definition in DEFINITIONS.items():
            values.extend(definition.rows(year, streets, results, targets(code, year)))
        for street_id in [None, *streets]:
            coverage.append(
                (
                    year,
                    street_id,
                    _sum(results, Base.SURVEY, year, street_id, "surveyed"),
                    _sum(results, Base.PERSON, year, street_id, "population"),
                )
            )
    return Computation(values, coverage)


# The querysets' planner settings on PostgreSQL, for the rest of the caller's transaction (a run's): enough
# work_mem for their large grouped aggregates; JIT compilation costs about a second per aggregate and
# saves nothing here.
QUERYSET_SETTINGS = "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off;"


def by_querysets(years: list[int]) -> Results:
    """The aggregates of every base, year and street through the querysets above: one grouped query
    per base and year (the reference engine; SQLite's)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(QUERYSET_SETTINGS)
    wanted: dict[tuple[Base, int], dict[str, object]] = defaultdict(dict)
    for year in years:
        # Survey coverage: surveyed persons / P(Y), for the dashboard.
        wanted[(Base.SURVEY, year)]["surveyed"] = Count("pk")
        wanted[(Base.PERSON, year)]["population"] = Count("pk")
        for definition in DEFINITIONS.values():
            for key, aggregates in definition.aggregates(year).items():
                wanted[key].update(aggregates)

    results: Results = {}
    for (base, year), aggregates in sorted(wanted.items(), key=lambda item: (item[0][1], item[0][0].value)):
        street_path = STREET_PATH[base]
        rows = base_queryset(base, year).order_by().values(street_path).annotate(**aggregates)
        results[(base, year)] = {row.pop(street_path): row for row in rows}
    return results


def by_sql(years: list[int]) -> Results:
    """The same aggregates from engine_sql's single statement (PostgreSQL)."""
    return {(Base(base), year): by_street for (base, year), by_street in engine_sql.results(years).items()}


def default_target(code: str, year: int, standing: float | None) -> float | None:
    """The plan's rule for a year without a Target row of its own.

    Years after the plan (规划期外) have no target of any indicator until district staff enter one
    (indicators.md): nothing is extrapolated, so K02 shows no 900人 for 2026."""
    if year > PLAN_YEARS[-1]:
        return None
    if code == "K02":
        target = k02_target(year)
        return float(target) if target is not None else None
    return standing
