"""Writes of 补贴与救助. Views, the API and the admin forms call these.

The Excel import writes grants in bulk without them (sheets/engine.py); the rules hold there because
they live in Grant.clean() (month order, temporary aid in its own month), which both paths run.
A rule added here beyond clean() must go in GrantResource.check_rules() too (tests/test_rule_parity.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.record_services import RecordServices, save_changes, save_validated
from registry.models import Person
from subsidies.models import Grant

UPDATABLE_FIELDS = ("kind", "start_month", "end_month", "monthly_amount")


@transaction.atomic
def grant_create(
    *,
    acting_user,
    person: Person,
    kind: str,
    start_month: dt.date,
    end_month: dt.date | None = None,
    monthly_amount: Decimal | None = None,
) -> Grant:
    grant = Grant(
        person=person, kind=kind, start_month=start_month, end_month=end_month, monthly_amount=monthly_amount
    )
    return save_validated(grant, acting_user=acting_user)


@transaction.atomic
def grant_update(*, acting_user, grant: Grant, **changes: Any) -> Grant:
    """Change kind, months or amount. The person of a grant never changes: record a new grant."""
    return save_changes(grant, changes, UPDATABLE_FIELDS, acting_user=acting_user)


@transaction.atomic
def grant_end(*, acting_user, grant: Grant, end_month: dt.date) -> Grant:
    """停发: a grant ends with its last paid month; it is never deleted."""
    if grant.end_month is not None and grant.end_month < end_month.replace(day=1):
        raise ValidationError({"end_month": f"该记录已于{grant.end_month:%Y-%m}停发"})
    grant.end_month = end_month
    return save_validated(grant, acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
GRANT_SERVICES = RecordServices(create=grant_create, update=grant_update, record_arg="grant")
