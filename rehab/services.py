"""Writes of 康复服务. Views, the API and the admin forms call these.

The Excel import writes services in bulk without them (sheets/engine.py); the rules hold there because
they live in RehabService.clean() (a device fitting names its device, no date in the future), which
both paths run. A rule added here beyond clean() must go in the resource's check_rules() too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.record_services import RecordServices, blank_for_none, save_changes, save_validated
from registry.models import Person
from rehab.models import RehabService

UPDATABLE_FIELDS = ("kind", "service_date", "provider", "device_name", "amount")


@transaction.atomic
def rehab_service_create(
    *,
    acting_user,
    person: Person,
    kind: str,
    service_date: dt.date,
    provider: str = "",
    device_name: str = "",
    amount: Decimal | None = None,
) -> RehabService:
    service = RehabService(
        person=person,
        kind=kind,
        service_date=service_date,
        provider=provider or "",
        device_name=device_name or "",
        amount=amount,
    )
    return save_validated(service, acting_user=acting_user)


@transaction.atomic
def rehab_service_update(*, acting_user, service: RehabService, **changes: Any) -> RehabService:
    """Change what was recorded; the person of a service never changes."""
    changes = blank_for_none(changes, ("provider", "device_name"))
    return save_changes(service, changes, UPDATABLE_FIELDS, acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
REHAB_SERVICE_SERVICES = RecordServices(
    create=rehab_service_create, update=rehab_service_update, record_arg="service"
)
