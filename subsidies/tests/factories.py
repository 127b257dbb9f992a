import datetime as dt
from decimal import Decimal

import factory

from registry.tests.factories import PersonFactory
from subsidies.models import Grant, GrantKind


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    person = factory.SubFactory(PersonFactory)
    kind = GrantKind.NURSING_ALLOWANCE
    start_month = dt.date(2021, 1, 1)
    end_month = None
    monthly_amount = Decimal("150.00")
