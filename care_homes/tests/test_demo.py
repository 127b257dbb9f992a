"""Care-home demo data on a generated registry: homes first, plausible rates, valid dates."""

import datetime as dt
import random

import pytest
from django.db.models import Count, Exists, OuterRef

from care_homes import demo as care_demo
from care_homes.models import AuxProject, CareHome, Placement
from registry.models import Person, Survey
from registry.tests.factories import generate_registry

pytestmark = pytest.mark.django_db
PERSONS = 3000


@pytest.fixture
def registry():
    generate_registry(PERSONS)


def test_care_homes_demo_creates_homes_first_then_projects_and_placements(registry):
    counts = care_demo.generate_demo(rng=random.Random(4), batch_size=700)

    names = set(CareHome.objects.values_list("name", flat=True))
    assert {"宁海路街道残疾人之家", "鼓楼区残疾人托养中心", "鼓楼区残疾人居家安养服务中心"} <= names
    assert counts == {
        "homes": CareHome.objects.count(),
        "aux_projects": AuxProject.objects.count(),
        "placements": Placement.objects.count(),
    }
    # every street has one or two 残疾人之家; one home closed in 2022
    per_street = CareHome.objects.filter(is_disabled_home=True).values("street").annotate(n=Count("id"))
    assert len(per_street) == 13 and {row["n"] for row in per_street} <= {1, 2}
    assert CareHome.objects.filter(closed_on__year=2022).count() == 1


def test_care_homes_demo_rates_are_high_but_not_perfect(registry):
    care_demo.generate_demo(rng=random.Random(4), batch_size=1000)
    project_rates = []
    for year in range(2020, 2026):
        reference = dt.date(year, 12, 31)
        homes = CareHome.objects.disabled_persons_homes().operating_on(reference).with_project_active_in(year)
        project_rates.append(homes.filter(has_project=True).count() / homes.count())
        need = Survey.objects.filter(
            year=year, needs_care=True, person__in=Person.objects.in_registry_on(dt.date(year, 12, 31))
        )
        served = need.filter(
            Exists(Placement.objects.active_in(year).filter(person=OuterRef("person")))
        ).count()
        assert 0.8 <= served / need.count() <= 0.97, (year, served, need.count())
    assert min(project_rates) < 1 and sum(rate == 1 for rate in project_rates) >= 3
    assert min(project_rates) >= 0.85
    # some placements for persons who stated no need
    no_need = Placement.objects.exclude(person__surveys__needs_care=True)
    assert no_need.exists()


def test_every_demo_placement_starts_while_its_home_operates(registry):
    care_demo.generate_demo(rng=random.Random(9), batch_size=1000)
    for placement in Placement.objects.select_related("home"):
        assert placement.home.is_operating_on(placement.start_date)
        assert placement.end_date is None or placement.end_date >= placement.start_date
