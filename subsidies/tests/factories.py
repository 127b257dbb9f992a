import datetime as dt
from decimal import Decimal

from registry.tests.factories import PersonRecordFactory
from subsidies.models import Grant, GrantKind


class GrantFactory(PersonRecordFactory):
    class Meta:
        model = Grant

    kind = GrantKind.NURSING_ALLOWANCE
    start_month = dt.date(2021, 1, 1)
    end_month = None
    monthly_amount = Decimal("150.00")
