"""Demo payment rolls: example standards, paid rolls for 2025, and a January draft with arrears,
recoveries and held grants (so a fresh quick start shows the monthly cycle)."""

import datetime as dt
import random

import pytest

from payments.demo import generate_demo
from payments.models import HeldItem, Recovery, Roll, RollLine, RollState, Standard
from registry import demo as registry_demo
from registry.models import Person, Survey
from subsidies.demo import generate_demo as generate_grants

pytestmark = pytest.mark.django_db


def test_demo_has_example_standards_paid_2025_rolls_and_a_draft_with_arrears_recoveries_and_held():
    generator = registry_demo.DemoGenerator(seed=5, chunk_size=1000)
    streets, _ = generator.ensure_communities()
    for chunk in generator.persons(1500, streets):
        registry_demo.write_rows(Person, registry_demo.PERSON_COLUMNS, chunk)
        registry_demo.write_rows(Survey, registry_demo.SURVEY_COLUMNS, generator.surveys(chunk))
    registry_demo.reset_sequences()
    generate_grants(rng=random.Random(1))

    result = generate_demo(rng=random.Random(2))

    assert Standard.objects.count() == 4 and set(Standard.objects.values_list("note", flat=True)) == {"示例"}
    assert Roll.objects.filter(month__year=2025, state=RollState.PAID).count() == 13 * 12
    draft = Roll.objects.filter(month=dt.date(2026, 1, 1), state=RollState.DRAFT)
    assert draft.count() == 13
    assert RollLine.objects.filter(roll__in=draft, type="arrears").exists()
    assert Recovery.objects.filter(roll__in=draft).exists()
    assert HeldItem.objects.exists()
    assert result["发放失败"] > 0
    assert Person.objects.exclude(bank_account="").count() > 0.85 * Person.objects.count()
