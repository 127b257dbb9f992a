import datetime as dt

import factory

from cases.models import Case, CaseCategory, Source
from cases.services import deadline_for
from registry.tests.factories import StreetRecordFactory


class CaseFactory(StreetRecordFactory):
    """An open 12345 item of 宁海路街道 received on 2025-03-03 with its rule deadline."""

    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"T-{n:06d}")
    source = Source.HOTLINE_12345
    received_on = dt.date(2025, 3, 3)
    person = None
    petitioner = "家属（母亲）"
    subject = "咨询护理补贴"
    category = CaseCategory.SUBSIDY
    deadline = factory.LazyAttribute(
        lambda o: deadline_for(source=o.source, received_on=o.received_on) or o.received_on
    )
