"""Employment demo data on a generated registry: plausible yearly figures, chunked bulk writes."""

import datetime as dt
import random

import pytest
from django.db.models import Exists, OuterRef

from employment import demo as employment_demo
from employment.models import Employment, Graduate, Training
from registry.models import Person
from registry.tests.factories import generate_registry

pytestmark = pytest.mark.django_db
PERSONS = 3000


@pytest.fixture
def registry():
    generate_registry(PERSONS)


def test_employment_demo_gives_plausible_yearly_figures(registry, django_assert_max_num_queries):
    # when the generator runs in chunks of 500 persons
    with django_assert_max_num_queries(60):
        counts = employment_demo.generate_demo(rng=random.Random(2), batch_size=500)

    # then every kind of record exists and the counts are reported
    assert counts == {
        "trainings": Training.objects.count(),
        "employments": Employment.objects.count(),
        "graduates": Graduate.objects.count(),
    }
    for year in range(2020, 2026):
        trained = Training.objects.dated_in(year).values("person").distinct().count()
        # ~160 a year for 12,000 persons, scaled: ~40 for 3,000
        assert 25 <= trained <= 60, (year, trained)
        graduates = Graduate.objects.of_year(year).filter(
            person__in=Person.objects.in_registry_on(dt.date(year, 12, 31))
        )
        employed = graduates.employed_on(dt.date(year, 12, 31)).count()
        assert graduates.count() >= 5, year
        assert 0.6 <= employed / graduates.count() <= 0.95, (year, employed, graduates.count())
    working_age = Person.objects.filter(
        birth_date__gt=dt.date(1963, 7, 1), birth_date__lte=dt.date(2007, 7, 1)
    )
    with_job = working_age.filter(Exists(Employment.objects.filter(person=OuterRef("pk")))).count()
    assert 0.2 <= with_job / working_age.count() <= 0.4
    assert not Employment.objects.filter(end_date__lt=dt.date(2000, 1, 1)).exists()
