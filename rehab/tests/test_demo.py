"""Demo rehab services: coverage of K08–K10 high but not 100%, a few misdated for data quality."""

import random

import pytest
from django.db.models import Exists, F, OuterRef

from core.periods import reference_date
from registry.models import Person, Survey
from registry.tests.factories import generate_registry
from rehab.demo import generate_demo
from rehab.models import RehabKind, RehabService
from subsidies.selectors import low_income_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_registry():
    generate_registry(3000, seed=11)


def coverage(surveys, services, year):
    served = surveys.filter(Exists(services.filter(person=OuterRef("person")).dated_in(year)))
    return served.count() / surveys.count()


def test_demo_services_cover_most_needs_but_not_all(demo_registry):
    counts = generate_demo(rng=random.Random(2), batch_size=800)

    assert counts["康复服务记录"] == RehabService.objects.count()
    population = Person.objects.in_registry_on(reference_date(2024))
    surveys = Survey.objects.filter(year=2024, person__in=population)
    assert (
        0.82 < coverage(surveys.filter(needs_rehab=True), RehabService.objects.rehabilitation(), 2024) < 0.97
    )
    assert 0.78 < coverage(surveys.filter(needs_device=True), RehabService.objects.devices(), 2024) < 0.96
    barrier = surveys.filter(low_income_q(), needs_barrier_free=True)
    assert 0.6 < coverage(barrier, RehabService.objects.barrier_free(), 2024) < 1


def test_every_device_fitting_names_its_device_and_some_services_are_misdated(demo_registry):
    generate_demo(rng=random.Random(2), batch_size=800)

    devices = RehabService.objects.filter(kind=RehabKind.ASSISTIVE_DEVICE)
    assert devices.exists() and not devices.filter(device_name="").exists()
    assert {"轮椅", "助听器"} <= set(devices.values_list("device_name", flat=True))
    assert RehabService.objects.filter(service_date__lt=F("person__issued_on")).exists()
