"""Demo cases: a believable year, most closed on time, some late, a dozen overdue, the rules held."""

import random

import pytest
from django.db.models import F

from cases.demo import OVERDUE_OPEN, generate_demo
from cases.models import Case, CaseAction
from registry.tests.factories import generate_registry

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2026-11-28 10:00:00")]


def test_demo_cases_make_a_believable_year_with_overdue_ones():
    generate_registry(800, seed=5)

    counts = generate_demo(rng=random.Random(8), batch_size=200)

    cases = Case.objects.all()
    assert counts["信访事项"] == cases.count() == 640
    assert counts["超期未办结"] >= OVERDUE_OPEN
    assert 0.8 < cases.on_time().count() / cases.closed().count() < 0.98
    assert cases.filter(person__isnull=False).count() > 300
    assert len(set(cases.values_list("source", flat=True))) == 9
    assert not cases.exclude(person=None).exclude(person__street=F("street")).exists()
    assert not CaseAction.objects.filter(case__closed_on__lt=F("done_on")).exists()
    for case in cases.select_related("person")[:200]:
        case.clean()  # the rules of every door hold
