import datetime as dt

from registry.tests.factories import PersonRecordFactory
from rehab.models import RehabKind, RehabService


class RehabServiceFactory(PersonRecordFactory):
    class Meta:
        model = RehabService

    kind = RehabKind.BASIC
    service_date = dt.date(2023, 5, 6)
    provider = "鼓楼区康复中心"
