import datetime as dt
from decimal import Decimal

import factory

from payments.models import Standard
from subsidies.models import GrantKind


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    kind = GrantKind.NURSING_ALLOWANCE
    monthly_amount = Decimal("100.00")
    effective_month = dt.date(2020, 1, 1)
