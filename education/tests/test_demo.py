"""Demo 教育助学: a believable year, with 未入学 children with and without 送教上门."""

import random

import pytest

from education import selectors
from education.demo import generate_demo
from education.models import AidKind, EducationAid, HomeTeachingVisit
from registry.models import Person, Survey
from registry.tests.factories import generate_registry

pytestmark = pytest.mark.django_db


def test_demo_fills_a_year_and_leaves_some_children_without_home_teaching():
    generate_registry(3000, seed=11)

    counts = generate_demo(rng=random.Random(7), batch_size=800)

    assert counts["教育助学记录"] == EducationAid.objects.count()
    assert counts["送教上门走访"] == HomeTeachingVisit.objects.count()
    per_year = EducationAid.objects.dated_in(2024).count()
    assert 120 < per_year < 300  # ~150 人次 a year at 3,000 persons: ~950 over 2020–2026
    assert set(EducationAid.objects.values_list("kind", flat=True)) == set(AidKind.values)
    assert not EducationAid.objects.filter(amount__lt=0).exists()
    assert not EducationAid.objects.exclude(kind=AidKind.HOME_TEACHING).filter(amount__isnull=True).exists()
    not_enrolled = Person.objects.filter(
        pk__in=Survey.objects.filter(year=2024, education="not_enrolled").values("person_id")
    ).filter(selectors.school_age_q(2024))
    gap = selectors.gap_persons(2024)
    assert gap.exists() and not_enrolled.exclude(pk__in=gap.values("pk")).exists()
