import datetime as dt

from payments.models import Recovery, Roll, RollLine, Standard
from registry.tests.factories import PersonFactory
from subsidies.tests.factories import GrantFactory
from tests.access import Case, Kind

MONTH = dt.date(2025, 1, 1)


def _roll(street):
    return Roll.objects.get_or_create(street=street, month=MONTH)[0]


def _roll_kwargs(street):
    return {"pk": _roll(street).pk}


def _line_kwargs(street):
    grant = GrantFactory(person=PersonFactory(street=street))
    line = RollLine.objects.create(
        roll=_roll(street), person=grant.person, grant=grant, kind=grant.kind, month=MONTH, amount=100
    )
    return {"pk": line.pk}


def _recovery_kwargs(street):
    recovery = Recovery.objects.create(
        roll=_roll(street), person=PersonFactory(street=street), kind="nursing", month=MONTH, amount=100
    )
    return {"pk": recovery.pk}


def _standard_kwargs(street):
    return {
        "pk": Standard.objects.get_or_create(kind="nursing", effective_month=MONTH, monthly_amount=100)[0].pk
    }


ACCESS_CASES = [
    Case("payments:overview", Kind.PERSON_DATA),
    # POST only: GET answers 405 to those who may build
    Case("payments:roll_build", Kind.PERSON_DATA, ok_status=405),
    Case("payments:roll_detail", Kind.PERSON_DATA, kwargs_for=_roll_kwargs),
    Case("payments:roll_submit", Kind.PERSON_DATA, kwargs_for=_roll_kwargs, ok_status=405),
    Case("payments:roll_approve", Kind.STAFF, kwargs_for=_roll_kwargs, ok_status=405),
    Case("payments:roll_return", Kind.STAFF, kwargs_for=_roll_kwargs, ok_status=405),
    Case("payments:roll_bank_file", Kind.STAFF, kwargs_for=_roll_kwargs, ok_status=405),
    Case("payments:roll_return_file", Kind.STAFF, kwargs_for=_roll_kwargs),
    Case("payments:standard_list", Kind.STAFF),
    Case("payments:standard_create", Kind.STAFF),
    Case("payments:standard_update", Kind.STAFF, kwargs_for=_standard_kwargs),
    Case("payments:recovery_list", Kind.STAFF),
    Case("payments:recovery_mark", Kind.STAFF, kwargs_for=_recovery_kwargs, ok_status=405),
    Case("payments:totals", Kind.AGGREGATE),
    Case("payments_api:roll-list", Kind.PERSON_DATA),
    Case("payments_api:roll-detail", Kind.PERSON_DATA, kwargs_for=_roll_kwargs),
    Case("payments_api:line-list", Kind.PERSON_DATA),
    Case("payments_api:line-detail", Kind.PERSON_DATA, kwargs_for=_line_kwargs),
    Case("payments_api:totals", Kind.AGGREGATE),
]
