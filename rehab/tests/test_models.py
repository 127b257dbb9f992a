"""RehabService rules and the dated-in predicates of K08–K10."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from freezegun import freeze_time

from registry.tests.factories import PersonFactory
from rehab.models import RehabKind, RehabService
from rehab.tests.factories import RehabServiceFactory
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def test_dated_in_takes_the_first_and_last_day_of_the_year():
    first = RehabServiceFactory(service_date=dt.date(2023, 1, 1))
    last = RehabServiceFactory(service_date=dt.date(2023, 12, 31))
    RehabServiceFactory(service_date=dt.date(2022, 12, 31))
    RehabServiceFactory(service_date=dt.date(2024, 1, 1))

    assert set(RehabService.objects.dated_in(2023)) == {first, last}


def test_rehabilitation_excludes_devices_and_home_modification():
    basic = RehabServiceFactory(kind=RehabKind.BASIC)
    child = RehabServiceFactory(kind=RehabKind.CHILD_REHAB)
    device = RehabServiceFactory(kind=RehabKind.ASSISTIVE_DEVICE, device_name="轮椅")
    barrier = RehabServiceFactory(kind=RehabKind.BARRIER_FREE)

    assert set(RehabService.objects.rehabilitation()) == {basic, child}
    assert list(RehabService.objects.devices()) == [device]
    assert list(RehabService.objects.barrier_free()) == [barrier]
    assert set(RehabService.objects.of_kind(RehabKind.BASIC, RehabKind.BARRIER_FREE)) == {basic, barrier}


def test_device_fitting_needs_a_device_name():
    service = RehabService(
        person=PersonFactory(), kind=RehabKind.ASSISTIVE_DEVICE, service_date=dt.date(2023, 5, 1)
    )

    with refused("device_name", "辅助器具适配必须填写辅具名称"):
        service.full_clean()


def test_database_refuses_a_device_fitting_without_name():
    with pytest.raises(IntegrityError):
        RehabService.objects.create(
            person=PersonFactory(), kind=RehabKind.ASSISTIVE_DEVICE, service_date=dt.date(2023, 5, 1)
        )


@freeze_time("2026-11-28")
def test_service_date_cannot_be_in_the_future():
    today = RehabService(person=PersonFactory(), kind=RehabKind.BASIC, service_date=dt.date(2026, 11, 28))
    tomorrow = RehabService(person=PersonFactory(), kind=RehabKind.BASIC, service_date=dt.date(2026, 11, 29))

    today.full_clean()
    with refused("service_date", "日期不能晚于今天（2026-11-28）"):
        tomorrow.full_clean()


def test_same_kind_on_the_same_day_is_a_duplicate_with_a_chinese_message():
    existing = RehabServiceFactory()
    duplicate = RehabService(person=existing.person, kind=existing.kind, service_date=existing.service_date)

    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()

    assert "该人员同一天已有同一项目的康复服务记录" in exc.value.messages
