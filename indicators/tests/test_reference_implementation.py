"""The set-based engine against a plain-Python reading of the spec, on a generated demo district.

The reference below loops over persons and records the slow, obvious way, written from
shared/spec/indicators.md alone; every numerator, denominator and side figure of every indicator,
year and street must agree.
"""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from care_homes.models import AuxProject, CareHome, Placement
from employment.models import Employment, Graduate, Training
from indicators.services import indicator_run_execute
from registry.models import Person, Survey
from rehab.models import RehabService
from subsidies.models import Grant

YEARS = list(range(2020, 2027))
REHABILITATION = {"basic", "child", "mental", "family_doctor", "home"}


def R(year):
    today = dt.date(2026, 11, 28)
    return min(dt.date(year, 12, 31), today)


def in_population(person, year):
    return person.issued_on <= R(year) and (person.status == "active" or person.status_changed_on > R(year))


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def active_in(start, end, year):
    return start <= R(year) and (end is None or end >= dt.date(year, 1, 1))


def by_person(records) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for record in records:
        grouped[record.person_id].append(record)
    return grouped


def reference_figures():
    persons = {p.pk: p for p in Person.objects.all()}
    surveys = {(s.person_id, s.year): s for s in Survey.objects.all()}
    grants = by_person(Grant.objects.all())
    rehab = by_person(RehabService.objects.all())
    placements = by_person(Placement.objects.all())
    employments = by_person(Employment.objects.all())

    def has_grant(pid, kind, year):
        return any(g.kind == kind and active_in(g.start_month, g.end_month, year) for g in grants[pid])

    def has_placement(pid, year):
        return any(active_in(p.start_date, p.end_date, year) for p in placements[pid])

    figures = {}  # (code, year, street_id) -> dict

    def add(code, year, street_id, **numbers):
        row = figures.setdefault((code, year, street_id), Counter())
        row.update(numbers)

    for year in YEARS:
        for pid, person in persons.items():
            if not in_population(person, year):
                continue
            street = person.street_id
            survey = surveys.get((pid, year))
            low_income = survey is not None and survey.low_income_type in ("dibao", "dibao_edge", "tekun")
            add("K05", year, street, served=int(has_placement(pid, year)))
            severe = person.grade in ("1", "2") or (person.grade == "3" and person.category in ("5", "6"))
            if severe:
                add("K04", year, street, den=1, num=int(has_grant(pid, "nursing", year)), nd=1)
                add("K04", year, street, nn=int(has_grant(pid, "nursing", year)))
            if survey is None:
                continue
            if survey.household_income is not None and survey.household_size is not None:
                add("K01", year, street, income=float(survey.household_income), size=survey.household_size)
            if survey.dibao_eligible:
                add("K03", year, street, den=1, num=int(has_grant(pid, "dibao", year)))
            if low_income:
                living = int(has_grant(pid, "living", year))
                add("K04", year, street, den=1, num=living, ld=1, ln=living)
            if survey.needs_care:
                add("K05", year, street, den=1, num=int(has_placement(pid, year)))
            if survey.medical_insurance:
                adult = age_on(person.birth_date, R(year)) >= 16
                covered = survey.medical_insurance == "insured" and (
                    not adult or survey.pension_insurance in ("insured", "receiving")
                )
                add("K06", year, street, den=1, num=int(covered))
            if 6 <= age_on(person.birth_date, dt.date(year, 8, 31)) <= 14:
                enrolled = survey.education in ("regular", "special", "home")
                add("K07", year, street, den=1, num=int(enrolled))
            kinds = {r.kind for r in rehab[pid] if r.service_date.year == year}
            if survey.needs_rehab:
                add("K08", year, street, den=1, num=int(bool(kinds & REHABILITATION)))
            if survey.needs_device:
                add("K09", year, street, den=1, num=int("device" in kinds))
            if survey.needs_barrier_free and low_income:
                add("K10", year, street, den=1, num=int("barrier_free" in kinds))
        for graduate in Graduate.objects.filter(graduation_year=year):
            person = persons[graduate.person_id]
            if in_population(person, year):
                employed = any(
                    e.start_date <= R(year) and (e.end_date is None or e.end_date >= R(year))
                    for e in employments[person.pk]
                )
                add("K11", year, person.street_id, den=1, num=int(employed))
        for home in CareHome.objects.filter(is_disabled_home=True):
            if home.opened_on <= R(year) and (home.closed_on is None or home.closed_on > R(year)):
                projects = [
                    a
                    for a in AuxProject.objects.filter(home=home)
                    if active_in(a.start_date, a.end_date, year)
                ]
                add("K12", year, home.street_id, den=1, num=int(bool(projects)), projects=len(projects))
        first = year if year == 2020 else 2021
        trained, trained_in_year = defaultdict(set), defaultdict(set)
        for t in Training.objects.all():
            person = persons[t.person_id]
            start_year = t.start_date.year
            if (
                first <= start_year <= year
                and t.start_date <= R(start_year)
                and in_population(person, start_year)
            ):
                trained[person.street_id].add(person.pk)
                if start_year == year:
                    trained_in_year[person.street_id].add(person.pk)
        for street, ids in trained.items():
            add("K02", year, street, persons=len(ids), in_year=len(trained_in_year[street]))
    return figures


@pytest.mark.django_db
def test_engine_agrees_with_a_plain_python_reading_of_the_spec():
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=600, seed=7, stdout=None)
        run = indicator_run_execute(years=YEARS)
        expected = reference_figures()
    values = {(v.code, v.year, v.street_id): v for v in run.values.all()}
    checked = 0
    for (code, year, street_id), v in values.items():
        if street_id is None:
            continue
        ref = expected.get((code, year, street_id), Counter())
        where = (code, year, street_id)
        if code == "K01":
            m = ref["income"] / ref["size"] if ref["size"] else None
            assert v.numerator == pytest.approx(m), where
        elif code == "K02":
            assert (v.numerator, v.extra["trained_in_year"]) == (ref["persons"], ref["in_year"]), where
        else:
            assert (v.numerator, v.denominator) == (ref["num"], ref["den"]), where
        if code == "K04":
            assert v.extra["living_rate"] == (ref["ln"] * 100 / ref["ld"] if ref["ld"] else None), where
            assert v.extra["nursing_rate"] == (ref["nn"] * 100 / ref["nd"] if ref["nd"] else None), where
        if code == "K05":
            assert v.extra["served"] == ref["served"], where
        if code == "K12":
            assert v.extra["projects"] == ref["projects"], where
        checked += 1
    assert checked == 12 * len(YEARS) * 13
    # the demo district exercises every indicator (no all-empty comparison)
    for code in ["K03", "K04", "K05", "K06", "K07", "K08", "K09", "K10", "K11", "K12"]:
        assert values[(code, 2025, None)].denominator > 0, code
    assert values[("K02", 2025, None)].value > 0
