"""Every rule of shared/spec/indicators.md on small, hand-computed fixtures."""

import datetime as dt
from decimal import Decimal

import pytest

from core.models import Street
from indicators.models import Indicator, ReferenceGrowth, Target
from indicators.services import indicator_run_execute
from indicators.tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_noon")]

NINGHAI = "宁海路街道"
HUAQIAO = "华侨路街道"


def compute(*years):
    run = indicator_run_execute(years=years)
    return {
        (v.code, v.year, v.street.name if v.street_id else None): v
        for v in run.values.select_related("street")
    }


def street(name=NINGHAI):
    return Street.objects.get(name=name)


def surveyed(year=2023, birth=dt.date(1980, 1, 1), street_name=NINGHAI, person_kwargs=None, **survey):
    person = f.PersonFactory(birth=birth, street=street(street_name), **(person_kwargs or {}))
    f.SurveyFactory(person=person, year=year, **survey)
    return person


# ---------------------------------------------------------------------------------------------
# Registry population P(Y)


def test_death_on_31_december_is_not_in_registry_population_of_that_year():
    # given a person eligible for 低保 in 2023 who died on 31 December 2023, and one who died in 2024
    surveyed(
        dibao_eligible=True, person_kwargs={"status": "deceased", "status_changed_on": dt.date(2023, 12, 31)}
    )
    surveyed(
        dibao_eligible=True, person_kwargs={"status": "deceased", "status_changed_on": dt.date(2024, 1, 1)}
    )
    # when K03 is computed for 2023
    values = compute(2023)
    # then only the second one is in the denominator
    assert values[("K03", 2023, None)].denominator == 1


def test_certificate_issued_on_31_december_is_in_registry_population():
    surveyed(dibao_eligible=True, person_kwargs={"issued_on": dt.date(2023, 12, 31)})
    surveyed(dibao_eligible=True, person_kwargs={"issued_on": dt.date(2024, 1, 1)})
    values = compute(2023)
    assert values[("K03", 2023, None)].denominator == 1


def test_survey_of_another_year_leaves_person_out_of_survey_based_denominator():
    surveyed(year=2022, dibao_eligible=True)
    values = compute(2023)
    assert values[("K03", 2023, None)].denominator == 0


# ---------------------------------------------------------------------------------------------
# Rates, targets and empty denominators


def test_empty_denominator_gives_no_value_and_no_met_status():
    values = compute(2023)
    for code in ["K03", "K04", "K05", "K06", "K07", "K08", "K09", "K10", "K11", "K12"]:
        row = values[(code, 2023, None)]
        assert (row.denominator, row.value, row.met) == (0, None, None), code
        assert row.target == 100 or (code == "K11" and row.target == 70)


def test_k03_rate_keeps_full_precision_and_district_sums_streets():
    # given 3 eligible persons in 宁海路 (2 with 低保) and 1 in 华侨路 (with 低保)
    for with_grant in (True, True, False):
        person = surveyed(dibao_eligible=True)
        if with_grant:
            f.GrantFactory(person=person, kind="dibao", start_month=dt.date(2022, 1, 1))
    other = surveyed(dibao_eligible=True, street_name=HUAQIAO)
    f.GrantFactory(person=other, kind="dibao", start_month=dt.date(2023, 6, 1))
    surveyed(dibao_eligible=False)  # not eligible: not counted

    values = compute(2023)

    ninghai = values[("K03", 2023, NINGHAI)]
    assert (ninghai.numerator, ninghai.denominator) == (2, 3)
    assert ninghai.value == pytest.approx(66.666666, abs=1e-5)
    assert ninghai.met is False
    assert values[("K03", 2023, HUAQIAO)].met is True
    district = values[("K03", 2023, None)]
    assert (district.numerator, district.denominator, district.value) == (3, 4, 75.0)
    assert values[("K03", 2023, "小市街道")].value is None


def test_grant_ending_in_january_counts_for_that_year_but_not_the_next():
    person = surveyed(year=2023, dibao_eligible=True)
    f.SurveyFactory(person=person, year=2024, dibao_eligible=True)
    f.GrantFactory(
        person=person, kind="dibao", start_month=dt.date(2020, 5, 1), end_month=dt.date(2023, 1, 1)
    )
    values = compute(2023, 2024)
    assert values[("K03", 2023, None)].numerator == 1
    assert values[("K03", 2024, None)].numerator == 0


def test_grant_starting_after_reference_date_of_current_year_does_not_count():
    person = surveyed(year=2026, dibao_eligible=True)
    f.GrantFactory(person=person, kind="dibao", start_month=dt.date(2026, 12, 1))
    values = compute(2026)
    assert values[("K03", 2026, None)].numerator == 0


def test_target_row_edited_by_staff_replaces_the_plan_target():
    Target.objects.filter(indicator__code="K03", year=2023).update(value=Decimal("60"))
    person = surveyed(dibao_eligible=True)
    f.GrantFactory(person=person, kind="dibao")
    surveyed(dibao_eligible=True)
    values = compute(2023)
    assert values[("K03", 2023, None)].target == 60
    assert values[("K03", 2023, None)].met is False  # 50 % < 60 %


def test_years_past_the_plan_have_no_invented_target():
    # issue 14 §3 / indicators.md: no extrapolation after 2025 (K02 used to show 900人 for 2026)
    values = compute(2026)
    assert values[("K03", 2026, None)].target is None
    assert values[("K11", 2026, None)].target is None
    assert values[("K02", 2026, None)].target is None
    assert values[("K02", 2026, None)].met is None


def test_a_target_entered_by_staff_for_a_year_past_the_plan_is_used():
    Target.objects.create(indicator=Indicator.objects.get(code="K02"), year=2026, value=Decimal("800"))
    values = compute(2026)
    assert values[("K02", 2026, None)].target == 800


# ---------------------------------------------------------------------------------------------
# K01


def test_k01_growth_pools_district_and_needs_previous_year():
    # given 宁海路: 2022 income 30000 for 3 persons, 2023 33000 / 3; 华侨路: only 2023 surveys
    a = surveyed(year=2022, household_income=Decimal("30000"), household_size=3)
    f.SurveyFactory(person=a, year=2023, household_income=Decimal("33000"), household_size=3)
    surveyed(year=2023, street_name=HUAQIAO, household_income=Decimal("10000"), household_size=1)
    surveyed(year=2023, household_income=None, household_size=2)  # incomplete: left out
    ReferenceGrowth.objects.create(year=2023, series="gdp", rate=Decimal("6.0"))

    values = compute(2022, 2023)

    ninghai = values[("K01", 2023, NINGHAI)]
    assert ninghai.numerator == pytest.approx(11000)
    assert ninghai.denominator == pytest.approx(10000)
    assert ninghai.value == pytest.approx(10.0)
    assert ninghai.met is True and ninghai.target == 6.0
    huaqiao = values[("K01", 2023, HUAQIAO)]
    assert (huaqiao.numerator, huaqiao.denominator, huaqiao.value, huaqiao.met) == (10000, None, None, None)
    # district pools: (33000 + 10000) / (3 + 1) = 10750 against 30000 / 3 = 10000
    district = values[("K01", 2023, None)]
    assert district.numerator == pytest.approx(10750)
    assert district.value == pytest.approx(7.5)
    # without a reference growth rate there is no target
    assert values[("K01", 2022, None)].target is None and values[("K01", 2022, None)].met is None
    assert values[("K01", 2022, None)].value is None  # no 2021 surveys


def test_k01_compound_growth_since_2020():
    person = surveyed(year=2020, household_income=Decimal("10000"), household_size=1)
    f.SurveyFactory(person=person, year=2022, household_income=Decimal("12100"), household_size=1)
    values = compute(2022)
    assert values[("K01", 2022, None)].extra["cagr_since_2020"] == pytest.approx(10.0)
    assert values[("K01", 2022, None)].value is None  # no 2021 data


# ---------------------------------------------------------------------------------------------
# K02


def test_k02_counts_distinct_persons_cumulatively_with_district_target():
    trained_twice = f.PersonFactory()
    f.TrainingFactory(person=trained_twice, start_date=dt.date(2021, 3, 1))
    f.TrainingFactory(person=trained_twice, start_date=dt.date(2022, 3, 1))
    f.TrainingFactory(start_date=dt.date(2022, 5, 1), person=f.PersonFactory(street=street(HUAQIAO)))
    f.TrainingFactory(start_date=dt.date(2020, 6, 1))  # 2020 only counts for 2020

    values = compute(2020, 2021, 2022)

    assert values[("K02", 2020, None)].value == 1
    assert values[("K02", 2020, None)].target is None
    assert values[("K02", 2021, None)].value == 1
    district = values[("K02", 2022, None)]
    assert (district.numerator, district.denominator, district.value) == (2, None, 2)
    assert district.extra == {"trained_in_year": 2}
    assert (district.target, district.met) == (300, False)
    ninghai = values[("K02", 2022, NINGHAI)]
    assert (ninghai.value, ninghai.target, ninghai.met) == (1, None, None)


def test_k02_training_of_person_not_in_registry_population_of_start_year_is_not_counted():
    # certified only in 2022, trained in 2021: not in P(2021)
    late = f.PersonFactory(issued_on=dt.date(2022, 2, 1))
    f.TrainingFactory(person=late, start_date=dt.date(2021, 9, 1))
    # left the registry in 2023 after a 2022 training: still counted
    gone = f.PersonFactory(status="moved_out", status_changed_on=dt.date(2023, 3, 1))
    f.TrainingFactory(person=gone, start_date=dt.date(2022, 9, 1))
    values = compute(2021, 2023)
    assert values[("K02", 2021, None)].value == 0
    assert values[("K02", 2023, None)].value == 1


# ---------------------------------------------------------------------------------------------
# K04


def test_k04_person_eligible_for_both_subsidies_counts_twice():
    # a low-income person with grade 一级: two pairs, one covered
    both = surveyed(low_income_type="dibao", person_kwargs={"grade": "1"})
    f.GrantFactory(person=both, kind="living", start_month=dt.date(2023, 1, 1))
    # grade 三级 智力, no survey: nursing only, covered
    mental = f.PersonFactory(grade="3", category="5")
    f.GrantFactory(person=mental, kind="nursing", start_month=dt.date(2023, 1, 1))
    f.PersonFactory(grade="3", category="4")  # 三级 肢体: not eligible
    values = compute(2023)
    row = values[("K04", 2023, None)]
    assert (row.numerator, row.denominator) == (2, 3)
    assert row.extra["living_rate"] == 100.0
    assert row.extra["nursing_rate"] == 50.0


# ---------------------------------------------------------------------------------------------
# K05


def test_k05_rate_of_persons_needing_care_and_served_headcount():
    home = f.CareHomeFactory()
    needing = surveyed(needs_care=True)
    f.PlacementFactory(person=needing, home=home, start_date=dt.date(2023, 2, 1))
    surveyed(needs_care=True)
    f.PlacementFactory(
        home=home, start_date=dt.date(2022, 1, 1), end_date=dt.date(2023, 3, 1)
    )  # no need stated
    f.PlacementFactory(
        home=home, start_date=dt.date(2021, 1, 1), end_date=dt.date(2022, 12, 31)
    )  # ended before
    values = compute(2023)
    row = values[("K05", 2023, None)]
    assert (row.numerator, row.denominator, row.value) == (1, 2, 50.0)
    assert row.extra == {"served": 2}


# ---------------------------------------------------------------------------------------------
# K06


def test_k06_person_turning_16_on_31_december_needs_pension_insurance():
    # born 31 December 2007: 16 on 31 December 2023
    surveyed(birth=dt.date(2007, 12, 31), medical_insurance="insured", pension_insurance="")
    # born 1 January 2008: still 15, medical insurance alone
    surveyed(birth=dt.date(2008, 1, 1), medical_insurance="insured", pension_insurance="")
    surveyed(medical_insurance="insured", pension_insurance="receiving")
    surveyed(medical_insurance="not_insured", pension_insurance="insured")
    surveyed(medical_insurance="")  # insurance not recorded: outside the denominator
    values = compute(2023)
    row = values[("K06", 2023, None)]
    assert (row.numerator, row.denominator) == (2, 4)


# ---------------------------------------------------------------------------------------------
# K07


def test_k07_children_aged_6_to_14_on_31_august():
    surveyed(birth=dt.date(2017, 8, 31), education="regular")  # exactly 6: in
    surveyed(birth=dt.date(2017, 9, 1), education="regular")  # 5: out
    surveyed(birth=dt.date(2008, 8, 31), education="regular")  # exactly 15: out
    surveyed(birth=dt.date(2008, 9, 1), education="not_enrolled")  # exactly 14: in, not enrolled
    surveyed(birth=dt.date(2012, 3, 3), education="home")  # in, 送教上门
    values = compute(2023)
    row = values[("K07", 2023, None)]
    assert (row.numerator, row.denominator) == (2, 3)


# ---------------------------------------------------------------------------------------------
# K08 – K10


def test_k08_counts_rehabilitation_kinds_only_dated_in_year():
    a = surveyed(needs_rehab=True)
    f.RehabServiceFactory(person=a, kind="home", service_date=dt.date(2023, 12, 31))
    b = surveyed(needs_rehab=True)
    f.RehabServiceFactory(person=b, kind="device", service_date=dt.date(2023, 5, 1))  # not rehabilitation
    c = surveyed(needs_rehab=True)
    f.RehabServiceFactory(person=c, kind="basic", service_date=dt.date(2022, 12, 31))  # other year
    values = compute(2023)
    assert (values[("K08", 2023, None)].numerator, values[("K08", 2023, None)].denominator) == (1, 3)


def test_k09_and_k10_devices_and_barrier_free_for_low_income_households():
    a = surveyed(needs_device=True)
    f.RehabServiceFactory(person=a, kind="device", service_date=dt.date(2023, 1, 1))
    surveyed(needs_device=True)
    b = surveyed(needs_barrier_free=True, low_income_type="tekun")
    f.RehabServiceFactory(person=b, kind="barrier_free", service_date=dt.date(2023, 7, 1))
    surveyed(needs_barrier_free=True, low_income_type="dibao_edge")
    surveyed(needs_barrier_free=True, low_income_type="none")  # not low-income: out
    values = compute(2023)
    assert (values[("K09", 2023, None)].numerator, values[("K09", 2023, None)].denominator) == (1, 2)
    assert (values[("K10", 2023, None)].numerator, values[("K10", 2023, None)].denominator) == (1, 2)


# ---------------------------------------------------------------------------------------------
# K11


def test_k11_employment_must_be_active_on_31_december():
    on_31 = f.GraduateFactory(graduation_year=2023)
    f.EmploymentFactory(person=on_31.person, start_date=dt.date(2023, 7, 1), end_date=dt.date(2023, 12, 31))
    until_30 = f.GraduateFactory(graduation_year=2023)
    f.EmploymentFactory(
        person=until_30.person, start_date=dt.date(2023, 7, 1), end_date=dt.date(2023, 12, 30)
    )
    f.GraduateFactory(graduation_year=2022)  # other year
    values = compute(2023)
    row = values[("K11", 2023, None)]
    assert (row.numerator, row.denominator, row.value, row.met) == (1, 2, 50.0, False)


# ---------------------------------------------------------------------------------------------
# K12


def test_k12_homes_operating_on_reference_date_with_a_project_active_in_year():
    with_project = f.CareHomeFactory()
    f.AuxProjectFactory(home=with_project, start_date=dt.date(2022, 1, 1), end_date=dt.date(2023, 1, 15))
    f.AuxProjectFactory(home=with_project, start_date=dt.date(2023, 6, 1))
    f.CareHomeFactory(street=street(HUAQIAO))  # no project
    closed = f.CareHomeFactory(closed_on=dt.date(2023, 12, 31))  # closed on R(Y): excluded
    f.AuxProjectFactory(home=closed, start_date=dt.date(2023, 1, 1))
    f.CareHomeFactory(is_disabled_home=False)  # not a 残疾人之家
    values = compute(2023)
    row = values[("K12", 2023, None)]
    assert (row.numerator, row.denominator, row.value) == (1, 2, 50.0)
    assert row.extra == {"projects": 2}
    assert values[("K12", 2023, HUAQIAO)].value == 0.0


def test_plan_table_is_seeded_by_the_data_migration():
    assert list(Indicator.objects.values_list("code", flat=True)) == [f"K{n:02d}" for n in range(1, 13)]
    assert Target.objects.get(indicator__code="K02", year=2025).value == 750
    assert Target.objects.get(indicator__code="K11", year=2021).value == 70
    assert Indicator.objects.get(code="K07").get_attribute_display() == "约束性"
