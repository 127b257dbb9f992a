"""Factories for the records the indicators count: the apps' factories with the dates and kinds the
indicator tests assume; persons and surveys come from the registry's."""

import datetime as dt

import factory

from care_homes.tests import factories as care_homes_factories
from employment.tests import factories as employment_factories
from indicators.models import IndicatorRun, IndicatorValue, RunStatus, RunTrigger
from registry.tests.factories import PersonFactory, SurveyFactory
from rehab.tests import factories as rehab_factories
from subsidies.tests import factories as subsidies_factories

__all__ = [
    "AuxProjectFactory",
    "CareHomeFactory",
    "EmploymentFactory",
    "GraduateFactory",
    "GrantFactory",
    "IndicatorRunFactory",
    "IndicatorValueFactory",
    "PersonFactory",
    "PlacementFactory",
    "RehabServiceFactory",
    "SurveyFactory",
    "TrainingFactory",
]


class GrantFactory(subsidies_factories.GrantFactory):
    kind = "dibao"
    start_month = dt.date(2020, 1, 1)


class RehabServiceFactory(rehab_factories.RehabServiceFactory):
    kind = "basic"
    service_date = dt.date(2023, 5, 1)
    device_name = factory.LazyAttribute(lambda o: "轮椅" if o.kind == "device" else "")


class CareHomeFactory(care_homes_factories.CareHomeFactory):
    """The app's home as the indicators count it: opened in 2019, not rated."""

    name = factory.Sequence(lambda n: f"残疾人之家{n}")
    rating = ""
    opened_on = dt.date(2019, 1, 1)


class PlacementFactory(care_homes_factories.PlacementFactory):
    home = factory.SubFactory(CareHomeFactory)
    start_date = dt.date(2020, 3, 1)


class AuxProjectFactory(care_homes_factories.AuxProjectFactory):
    home = factory.SubFactory(CareHomeFactory)
    participants = None


class TrainingFactory(employment_factories.TrainingFactory):
    name = factory.Sequence(lambda n: f"电商技能培训{n}")
    kind = "employment"
    start_date = dt.date(2022, 4, 1)
    end_date = None


class GraduateFactory(employment_factories.GraduateFactory):
    person = factory.SubFactory(PersonFactory, birth=dt.date(2000, 5, 5))
    graduation_year = 2023


class EmploymentFactory(employment_factories.EmploymentFactory):
    form = "quota"
    start_date = dt.date(2023, 7, 1)


class IndicatorRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorRun

    started_at = factory.LazyFunction(lambda: dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC))
    finished_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(seconds=3))
    status = RunStatus.SUCCEEDED
    years = factory.LazyFunction(lambda: list(range(2020, 2026)))
    trigger = RunTrigger.NIGHTLY


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    run = factory.SubFactory(IndicatorRunFactory)
    code = "K03"
    year = 2023
    numerator = 9
    denominator = 10
    value = 90.0
    target = 100.0
    met = False
