"""Plausible dates (registry/date_bounds.py): each bound at its edge, on every dated field, and the
same refusal through the form, the API and the Excel import."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from core.date_bounds import latest_planned_date, validate_not_after_today, validate_within_planning
from core.idnumbers import IdNumberError, check_digit, make_id_number, validate_id_number
from employment.models import Training
from employment.tests.factories import EmploymentFactory, TrainingFactory, training_data, training_row
from imports.services import run_import
from imports.tests.factories import workbook_bytes
from registry.tests.factories import PersonFactory
from rehab.tests.factories import RehabServiceFactory
from subsidies.tests.factories import GrantFactory
from tests.assertions import refused

TODAY = dt.date(2026, 11, 28)
TOMORROW = dt.date(2026, 11, 29)
A_YEAR_AHEAD = dt.date(2027, 11, 28)
A_YEAR_AND_A_DAY_AHEAD = dt.date(2027, 11, 29)


def _refuses(validator, value) -> str:
    with pytest.raises(ValidationError) as exc:
        validator(value)
    return exc.value.messages[0]


@freeze_time("2026-11-28 12:00:00")
def test_a_date_that_has_happened_is_today_at_the_latest():
    validate_not_after_today(TODAY)
    assert _refuses(validate_not_after_today, TOMORROW) == "日期不能晚于今天（2026-11-28）"


@freeze_time("2026-11-28 20:00:00")  # 04:00 on 29 November in Asia/Shanghai: the portal's today
def test_today_is_the_portals_local_day_not_utcs():
    validate_not_after_today(TOMORROW)


@freeze_time("2026-11-28 12:00:00")
def test_a_planned_date_is_one_year_ahead_at_the_latest():
    validate_within_planning(A_YEAR_AHEAD)
    assert (
        _refuses(validate_within_planning, A_YEAR_AND_A_DAY_AHEAD) == "日期不能晚于2027-11-28（最多提前一年）"
    )


@freeze_time("2028-02-29 12:00:00")
def test_a_year_ahead_of_29_february_is_28_february():
    assert latest_planned_date() == dt.date(2029, 2, 28)


@pytest.mark.parametrize("validator", [validate_not_after_today, validate_within_planning])
def test_no_date_is_before_1900(validator):
    validator(dt.date(1900, 1, 1))
    assert _refuses(validator, dt.date(1899, 12, 31)) == "日期不能早于1900-01-01"


def test_an_empty_date_is_left_to_the_field():
    validate_within_planning(None)
    validate_not_after_today(None)


def test_birth_date_in_an_id_number_is_1900_or_later():
    assert validate_id_number(make_id_number("320106", dt.date(1900, 1, 1), 11), today=TODAY)
    first17 = "32010618991231001"
    with pytest.raises(IdNumberError, match="公民身份号码中的出生日期早于1900-01-01"):
        validate_id_number(first17 + check_digit(first17), today=TODAY)


@pytest.mark.django_db
def test_a_person_born_in_1800_is_refused_by_the_model():
    person = PersonFactory.build(id_number=make_id_number("320106", dt.date(1800, 1, 1), 7))
    with refused("id_number", "公民身份号码中的出生日期早于1900-01-01"):
        person.full_clean(exclude=["sex", "birth_date", "certificate_number"])


# Every dated field: (factory, field, latest allowed date: TODAY or A_YEAR_AHEAD).
DATED_FIELDS = [
    (CareHomeFactory, "opened_on", TODAY),
    (CareHomeFactory, "closed_on", A_YEAR_AHEAD),
    (PlacementFactory, "start_date", TODAY),
    (PlacementFactory, "end_date", A_YEAR_AHEAD),
    (AuxProjectFactory, "start_date", A_YEAR_AHEAD),
    (AuxProjectFactory, "end_date", A_YEAR_AHEAD),
    (TrainingFactory, "start_date", A_YEAR_AHEAD),
    (TrainingFactory, "end_date", A_YEAR_AHEAD),
    (EmploymentFactory, "start_date", TODAY),
    (EmploymentFactory, "end_date", A_YEAR_AHEAD),
    (RehabServiceFactory, "service_date", TODAY),
]


@pytest.mark.django_db
@freeze_time("2026-11-28 12:00:00")
@pytest.mark.parametrize(("factory", "name", "latest"), DATED_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_every_dated_field_is_bounded_at_its_edges(factory, name, latest):
    record = factory()
    errors = _field_errors(record, name, latest)
    assert not errors, errors  # the last allowed day
    assert _field_errors(record, name, latest + dt.timedelta(days=1))
    assert _field_errors(record, name, dt.date(1899, 12, 31)) == ["日期不能早于1900-01-01"]


def _field_errors(record, name: str, value: dt.date) -> list[str]:
    setattr(record, name, value)
    try:
        record.clean_fields()
    except ValidationError as exc:
        return exc.message_dict.get(name, [])
    return []


@pytest.mark.django_db
@freeze_time("2026-11-28 12:00:00")
@pytest.mark.parametrize(
    ("name", "latest"), [("start_month", dt.date(2027, 11, 1)), ("end_month", dt.date(2027, 11, 1))]
)
def test_grant_months_are_at_most_a_year_ahead(name, latest):
    grant = GrantFactory()
    assert not _field_errors(grant, name, latest)
    assert _field_errors(grant, name, dt.date(2027, 12, 1)) == ["日期不能晚于2027-11-28（最多提前一年）"]


# One rule, every door: a training in 2100 -------------------------------------------------------

MESSAGE_2100 = "日期不能晚于2027-11-28（最多提前一年）"


@pytest.mark.django_db
@freeze_time("2026-11-28 12:00:00")
def test_a_training_in_2100_is_refused_by_the_form(client_for, clerk_user):
    person = PersonFactory()
    response = client_for(clerk_user).post(
        reverse("employment:training_create", args=[person.pk]),
        training_data(start_date="2100-01-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [MESSAGE_2100]
    assert not Training.objects.exists()


@pytest.mark.django_db
@freeze_time("2026-11-28 12:00:00")
def test_a_training_in_2100_is_refused_by_the_api(client_for, clerk_user):
    response = client_for(clerk_user).post(
        reverse("employment_api:trainings-list"),
        {"person": PersonFactory().pk, **training_data(start_date="2100-01-01")},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["start_date"] == [MESSAGE_2100]
    assert not Training.objects.exists()


@pytest.mark.django_db
@freeze_time("2026-11-28 12:00:00")
def test_a_training_in_2100_is_refused_by_the_import():
    person = PersonFactory()
    report = run_import("training", workbook_bytes([training_row(person, 开始日期="2100-01-01")]))
    assert [(e["row"], e["column"], e["message"]) for e in report.errors] == [
        (2, "开始日期", f"{MESSAGE_2100}（填写的是：2100-01-01）")
    ]
    assert not Training.objects.exists()


@pytest.mark.django_db
@freeze_time("2026-11-28 20:00:00")  # already 29 November in Nanjing
def test_a_person_may_be_certified_and_leave_on_todays_date_in_nanjing():
    person = PersonFactory.build(
        issued_on=dt.date(2026, 11, 29), status="moved_out", status_changed_on=dt.date(2026, 11, 29)
    )
    person.full_clean(exclude=["sex", "birth_date", "certificate_number"])
