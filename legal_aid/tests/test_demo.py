"""Demo 法律救助: a believable year (a few hundred consultations, about thirty cases), valid records."""

import datetime as dt
import random

import pytest

from legal_aid.demo import generate_demo
from legal_aid.models import AidCase, Consultation
from legal_aid.selectors import year_figures
from registry.tests.factories import generate_registry

pytestmark = pytest.mark.django_db


def test_demo_fills_two_believable_years_with_valid_records():
    generate_registry(1500, seed=5)

    counts = generate_demo(rng=random.Random(3))

    assert counts["法律咨询"] == Consultation.objects.count() == 790
    assert counts["法律救助案件"] == AidCase.objects.count() == 60
    figures = year_figures(2025)
    assert 380 <= figures.district.consultations <= 440 and figures.district.cases_opened == 32
    assert figures.district.amount > 0
    assert all(row.consultations > 0 for row in figures.streets)
    assert Consultation.objects.filter(person__isnull=True).count() > 100
    assert AidCase.objects.long_open(dt.date(2026, 11, 28)).exists()
    for record in [*Consultation.objects.select_related("person")[:200], *AidCase.objects.all()]:
        record.full_clean()  # every demo record passes the rules of every door
