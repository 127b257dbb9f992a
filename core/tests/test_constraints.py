"""The builders' checks on one field: the error is that field's, and the migrations see Django's own
CheckConstraint (no migration when a model switches to a builder)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from core.constraints import at_least, first_day_of_month, not_before, not_negative
from core.models import CommunityWorker, Street

pytestmark = pytest.mark.django_db

SINCE = dt.date(2024, 5, 1)

# builder: (its check, a record it refuses, the checked field, a value it accepts there)
CHECKS = {
    "not_before": (
        not_before("until", "since", name="t_until", message="离任日期不能早于任职日期"),
        CommunityWorker(name="张三", since=SINCE, until=dt.date(2024, 4, 30)),
        "until",
        None,
    ),
    "first_day_of_month": (
        first_day_of_month("since", name="t_since", message="任职月份应记为当月1日"),
        CommunityWorker(name="张三", since=dt.date(2024, 5, 2)),
        "since",
        SINCE,
    ),
    "at_least": (
        at_least("order", 1, name="t_order", message="排序应从1起"),
        Street(name="某街道", order=0),
        "order",
        1,
    ),
    "not_negative": (
        not_negative("order", name="t_order", message="排序不能为负数"),
        Street(name="某街道", order=-5),
        "order",
        0,
    ),
}


@pytest.mark.parametrize("builder", CHECKS)
def test_the_error_belongs_to_the_checked_field(builder):
    constraint, instance, field, _ = CHECKS[builder]

    with pytest.raises(ValidationError) as exc:
        constraint.validate(type(instance), instance)

    assert exc.value.message_dict == {field: [constraint.violation_error_message]}


@pytest.mark.parametrize("builder", CHECKS)
def test_a_valid_record_and_an_excluded_field_pass(builder):
    constraint, instance, field, valid = CHECKS[builder]

    constraint.validate(type(instance), instance, exclude={field})  # a field that failed already
    setattr(instance, field, valid)
    constraint.validate(type(instance), instance)


def test_a_nullable_check_lets_the_field_be_empty():
    constraint = not_negative("order", name="t_order", message="排序不能为负数", nullable=True)

    constraint.validate(Street, Street(name="某街道", order=None))


@pytest.mark.parametrize("builder", CHECKS)
def test_it_deconstructs_as_djangos_check_constraint(builder):
    constraint, _, field, _ = CHECKS[builder]

    path, args, kwargs = constraint.deconstruct()

    assert path == "django.db.models.CheckConstraint" and args == ()
    assert "field" not in kwargs
    assert models.CheckConstraint(**kwargs) == constraint  # what a migration records
    assert constraint.clone().field == field  # what the migration state copies


@pytest.mark.parametrize(
    ("constraint", "instance", "field", "message"),
    [
        (not_negative("order", name="t_order"), Street(name="某街道", order=-5), "order", "不能为负数"),
        (at_least("order", 1, name="t_order"), Street(name="某街道", order=0), "order", "不能小于1"),
        (
            first_day_of_month("since", name="t_since"),
            CommunityWorker(name="张三", since=dt.date(2024, 5, 2)),
            "since",
            "应为当月1日",
        ),
        (
            not_before("until", "since", name="t_until"),
            CommunityWorker(name="张三", since=SINCE, until=dt.date(2024, 4, 30)),
            "until",
            f"不能早于{CommunityWorker._meta.get_field('since').verbose_name}",
        ),
    ],
)
def test_a_check_without_a_message_says_what_is_wrong_under_its_field(constraint, instance, field, message):
    # not Django's 约束“t_order”是无效的, which names the constraint and says nothing to a clerk
    with pytest.raises(ValidationError) as exc:
        constraint.validate(type(instance), instance)

    assert exc.value.message_dict == {field: [message]}
    assert constraint.clone().deconstruct() == constraint.deconstruct()
