import datetime as dt

import factory

from cases.models import Case, CaseCategory, Source
from cases.services import case_close, case_create, deadline_for
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


def create_case(acting_user, street, **values) -> Case:
    """The item CaseFactory makes (a 12345 call of 2025-03-03 about the nursing allowance), registered
    in `street` through the service by `acting_user`; `values` override its fields."""
    defaults = {
        "source": Source.HOTLINE_12345,
        "received_on": dt.date(2025, 3, 3),
        "subject": "咨询护理补贴",
        "category": CaseCategory.SUBSIDY,
        "petitioner": "家属（母亲）",
    }
    return case_create(acting_user=acting_user, street=street, **{**defaults, **values})


def close_case(acting_user, case: Case, closed_on: dt.date) -> Case:
    """Closes `case` on `closed_on` through the service, answered (已答复) and resolved."""
    return case_close(
        acting_user=acting_user, case=case, reply="已答复", outcome="resolved", closed_on=closed_on
    )
