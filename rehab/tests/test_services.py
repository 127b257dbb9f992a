"""rehab_service_create / rehab_service_update validate, save and record who did it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registry.tests.factories import PersonFactory
from rehab import services
from rehab.models import RehabKind, RehabService
from rehab.tests.factories import RehabServiceFactory
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def test_create_records_the_acting_user(clerk_user):
    service = services.rehab_service_create(
        acting_user=clerk_user,
        person=PersonFactory(),
        kind=RehabKind.ASSISTIVE_DEVICE,
        service_date=dt.date(2025, 4, 2),
        device_name=" 轮椅 ",
        amount=Decimal("1200"),
    )

    assert service.device_name == "轮椅"
    assert service.history.get().history_user == clerk_user


def test_create_refuses_a_device_without_name_and_writes_nothing(clerk_user):
    with refused("device_name", "辅助器具适配必须填写辅具名称"):
        services.rehab_service_create(
            acting_user=clerk_user,
            person=PersonFactory(),
            kind=RehabKind.ASSISTIVE_DEVICE,
            service_date=dt.date(2025, 4, 2),
        )
    assert not RehabService.objects.exists()


def test_update_keeps_before_and_after_with_the_user(staff_user):
    service = RehabServiceFactory(provider="甲机构")

    services.rehab_service_update(acting_user=staff_user, service=service, provider="乙机构")

    latest, before = service.history.order_by("-history_id")[:2]
    assert (before.provider, latest.provider, latest.history_user) == ("甲机构", "乙机构", staff_user)


def test_update_never_moves_a_service_to_another_person(staff_user):
    service = RehabServiceFactory()

    with pytest.raises(ValidationError):
        services.rehab_service_update(acting_user=staff_user, service=service, person=PersonFactory())
