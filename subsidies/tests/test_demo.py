"""Demo grants: realistic coverage (high, not 100%), exits handled, data-quality cases present."""

import random

import pytest
from django.db.models import Exists, OuterRef

from core.periods import reference_date
from registry.models import Person, Survey
from registry.tests.factories import generate_registry
from subsidies.demo import generate_demo
from subsidies.models import Grant, GrantKind
from subsidies.selectors import low_income_q, nursing_eligible_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_registry():
    generate_registry(3000, seed=11)


def coverage(eligible, kind, year, person_ref="pk"):
    grants = Grant.objects.filter(person=OuterRef(person_ref), kind=kind).active_in(year)
    return eligible.filter(Exists(grants)).count() / eligible.count()


def test_demo_grants_cover_most_but_not_all_of_the_eligible(demo_registry):
    counts = generate_demo(rng=random.Random(1), batch_size=700)

    assert counts["补贴与救助记录"] == Grant.objects.count() > 0
    population = Person.objects.in_registry_on(reference_date(2023))
    surveys = Survey.objects.filter(year=2023, person__in=population)
    assert 0.88 < coverage(population.filter(nursing_eligible_q()), GrantKind.NURSING_ALLOWANCE, 2023) < 0.99
    assert 0.85 < coverage(surveys.filter(low_income_q()), GrantKind.LIVING_ALLOWANCE, 2023, "person") < 0.99
    assert 0.9 < coverage(surveys.filter(dibao_eligible=True), GrantKind.DIBAO, 2023, "person") <= 1


def test_demo_grants_stop_at_exit_except_a_few_and_some_end_in_january(demo_registry):
    generate_demo(rng=random.Random(1), batch_size=700)

    gone = Grant.objects.exclude(person__status="active")
    stopped = gone.filter(end_month__isnull=False).count()
    assert stopped > 0 and gone.filter(end_month__isnull=True).count() < stopped
    assert Grant.objects.filter(end_month__month=1).exclude(kind=GrantKind.TEMPORARY_AID).exists()
    assert Grant.objects.filter(kind=GrantKind.TEMPORARY_AID).exists()


def test_demo_is_the_same_for_the_same_seed_whatever_the_batch_size(demo_registry):
    generate_demo(rng=random.Random(5), batch_size=500)
    first = list(
        Grant.objects.order_by("person_id", "kind", "start_month").values_list(
            "person_id", "kind", "start_month", "end_month"
        )
    )
    Grant.objects.all().delete()

    generate_demo(rng=random.Random(5), batch_size=2000)

    second = list(
        Grant.objects.order_by("person_id", "kind", "start_month").values_list(
            "person_id", "kind", "start_month", "end_month"
        )
    )
    assert first == second
