"""grant_create / grant_update / grant_end validate, save and record who did it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registry.tests.factories import PersonFactory
from subsidies import services
from subsidies.models import Grant, GrantKind
from subsidies.tests.factories import GrantFactory
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def test_grant_create_saves_and_records_the_acting_user(clerk_user):
    person = PersonFactory()

    grant = services.grant_create(
        acting_user=clerk_user,
        person=person,
        kind=GrantKind.NURSING_ALLOWANCE,
        start_month=dt.date(2025, 3, 15),
        monthly_amount=Decimal("150"),
    )

    assert grant.start_month == dt.date(2025, 3, 1)
    record = grant.history.get()
    assert record.history_type == "+" and record.history_user == clerk_user


def test_grant_create_refuses_end_before_start_and_writes_nothing(clerk_user):
    with refused("end_month", "结束月份不能早于开始月份"):
        services.grant_create(
            acting_user=clerk_user,
            person=PersonFactory(),
            kind=GrantKind.DIBAO,
            start_month=dt.date(2025, 3, 1),
            end_month=dt.date(2025, 2, 1),
        )
    assert not Grant.objects.exists()


def test_grant_update_changes_fields_and_keeps_before_and_after(staff_user):
    grant = GrantFactory(monthly_amount=Decimal("100"))

    services.grant_update(acting_user=staff_user, grant=grant, monthly_amount=Decimal("180"))

    latest, before = grant.history.order_by("-history_id")[:2]
    assert latest.history_user == staff_user and latest.monthly_amount == Decimal("180")
    assert before.monthly_amount == Decimal("100")


def test_grant_update_never_moves_a_grant_to_another_person(staff_user):
    grant = GrantFactory()

    with pytest.raises(ValidationError):
        services.grant_update(acting_user=staff_user, grant=grant, person=PersonFactory())


def test_grant_end_sets_the_last_month_and_keeps_the_record(clerk_user):
    grant = GrantFactory(start_month=dt.date(2021, 1, 1))

    services.grant_end(acting_user=clerk_user, grant=grant, end_month=dt.date(2025, 6, 20))

    grant.refresh_from_db()
    assert grant.end_month == dt.date(2025, 6, 1)
    assert grant.history.latest().history_user == clerk_user


def test_grant_end_before_start_is_refused(clerk_user):
    grant = GrantFactory(start_month=dt.date(2024, 5, 1))

    with refused("end_month", "结束月份不能早于开始月份"):
        services.grant_end(acting_user=clerk_user, grant=grant, end_month=dt.date(2024, 4, 1))


def test_grant_end_cannot_extend_a_grant_that_already_ended(clerk_user):
    grant = GrantFactory(start_month=dt.date(2021, 1, 1), end_month=dt.date(2023, 1, 1))

    with refused("end_month", "该记录已于2023-01停发"):
        services.grant_end(acting_user=clerk_user, grant=grant, end_month=dt.date(2024, 1, 1))
