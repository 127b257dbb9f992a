"""factory_boy factories for care homes, placements and auxiliary employment projects."""

import datetime as dt

import factory

from care_homes.models import AuxProject, CareHome, HomeLevel, Placement, PlacementMode
from registry.tests.factories import PersonRecordFactory, StreetRecordFactory


class CareHomeFactory(StreetRecordFactory):
    class Meta:
        model = CareHome

    name = factory.Sequence(lambda n: f"测试街道残疾人之家{n}")
    level = HomeLevel.STREET
    is_disabled_home = True
    rating = "3A"
    opened_on = dt.date(2018, 1, 1)
    closed_on = None


class PlacementFactory(PersonRecordFactory):
    class Meta:
        model = Placement

    home = factory.SubFactory(CareHomeFactory)
    mode = PlacementMode.DAY_CARE
    start_date = dt.date(2022, 5, 1)
    end_date = None


class AuxProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuxProject

    home = factory.SubFactory(CareHomeFactory)
    name = factory.Sequence(lambda n: f"手工编织项目{n}")
    start_date = dt.date(2021, 3, 1)
    end_date = None
    participants = 12
