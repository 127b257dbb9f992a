import datetime as dt

import factory

from registry.tests.factories import PersonFactory
from rehab.models import RehabKind, RehabService


class RehabServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RehabService

    person = factory.SubFactory(PersonFactory)
    kind = RehabKind.BASIC
    service_date = dt.date(2023, 5, 6)
    provider = "鼓楼区康复中心"
