"""Services validate, save and record who did it; ending is an end date, never a delete."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from employment import services
from employment.models import Employment, Graduate, Training
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from registry.tests.factories import PersonFactory
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def test_training_create_records_the_acting_user_in_history(clerk_user):
    training = services.training_create(
        acting_user=clerk_user,
        person=PersonFactory(),
        name="电子商务运营培训班",
        kind="employment",
        start_date=dt.date(2024, 3, 4),
        end_date=dt.date(2024, 3, 20),
        completed=True,
    )
    record = training.history.get()
    assert record.history_type == "+"
    assert record.history_user == clerk_user


def test_training_update_keeps_before_and_after_in_history(staff_user):
    training = TrainingFactory(completed=False)
    services.training_update(acting_user=staff_user, training=training, completed=True)
    latest, previous = training.history.order_by("-history_id")[:2]
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("completed", False, True)]
    assert latest.history_user == staff_user


def test_update_refuses_fields_it_does_not_own(staff_user):
    # One service style (issue 10): a field a service does not change is a ValidationError naming it.
    training = TrainingFactory()
    with pytest.raises(ValidationError) as caught:
        services.training_update(acting_user=staff_user, training=training, person=PersonFactory())
    assert caught.value.messages == ["不能修改以下字段：person"]


def test_invalid_training_is_not_saved():
    with refused("end_date", "结束日期不能早于开始日期"):
        services.training_create(
            acting_user=None,
            person=PersonFactory(),
            name="面点培训",
            kind="employment",
            start_date=dt.date(2024, 3, 4),
            end_date=dt.date(2024, 3, 1),
        )
    assert not Training.objects.exists()


def test_employment_end_sets_the_last_day_and_keeps_the_record(clerk_user):
    employment = EmploymentFactory(start_date=dt.date(2022, 3, 1))
    services.employment_end(acting_user=clerk_user, employment=employment, end_date=dt.date(2024, 5, 31))
    employment.refresh_from_db()
    assert employment.end_date == dt.date(2024, 5, 31)
    assert employment in Employment.objects.active_on(dt.date(2024, 5, 31))
    assert employment.history.latest().history_user == clerk_user


def test_employment_end_before_start_is_refused():
    employment = EmploymentFactory(start_date=dt.date(2022, 3, 1))
    with pytest.raises(ValidationError):
        services.employment_end(acting_user=None, employment=employment, end_date=dt.date(2022, 2, 28))
    employment.refresh_from_db()
    assert employment.end_date is None


def test_employment_create_and_update(staff_user):
    employment = services.employment_create(
        acting_user=staff_user,
        person=PersonFactory(),
        form="quota",
        employer="南京银行股份有限公司",
        start_date=dt.date(2021, 9, 1),
    )
    services.employment_update(acting_user=staff_user, employment=employment, employer="南京地铁运营有限公司")
    assert Employment.objects.get().employer == "南京地铁运营有限公司"
    assert employment.history.count() == 2


def test_graduate_twice_in_one_year_is_refused_with_the_models_message(staff_user):
    graduate = GraduateFactory(graduation_year=2023)
    with pytest.raises(ValidationError) as exc:
        services.graduate_create(acting_user=staff_user, person=graduate.person, graduation_year=2023)
    assert "该人员已有同一毕业年份的毕业生记录" in exc.value.messages
    assert Graduate.objects.count() == 1


def test_graduate_update_records_history(staff_user):
    graduate = GraduateFactory()
    services.graduate_update(acting_user=staff_user, graduate=graduate, school="南京大学", degree="master")
    graduate.refresh_from_db()
    assert (graduate.school, graduate.degree) == ("南京大学", "master")
    assert graduate.history.latest().history_user == staff_user
