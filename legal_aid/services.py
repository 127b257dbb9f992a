"""Writes of 法律救助. Views, the API and the admin call these.

The Excel import writes in bulk without them (sheets/engine.py); the rules hold there because they
live in the models' clean() (Consultation: a person's street; AidCase: check_aid_case, a negative
amount, a closing before the opening, a closing without an outcome), which every path runs. The
one rule beyond clean(), a consultation's street taken from its person, is `consultation_street`:
the services and the import resource (adjust_instance) call it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import IntegerField
from django.db.models.functions import Cast, Substr

from core.models import Street
from core.record_services import RecordServices, apply_changes, blank_for_none, save_changes, save_validated
from legal_aid.models import AidCase, Consultation
from registry.models import Person

# The fields of a consultation in the order of the Excel template; the update service changes any.
CONSULTATION_FIELDS = (
    "number",
    "street",
    "consulted_on",
    "person",
    "visitor_name",
    "channel",
    "topic",
    "summary",
    "reply",
    "handled_by",
)
CASE_FIELDS = (
    "kind",
    "subject",
    "counsel",
    "opened_on",
    "closed_on",
    "outcome",
    "amount_recovered",
    "notes",
)


def consultation_street(person: Person | None, street: Street | None) -> Street | None:
    """A person's consultation is recorded in the person's street when no street is given; an
    anonymous one keeps the street given (the model's clean() refuses a mismatch or a missing one)."""
    if street is None and person is not None:
        return person.street
    return street


def next_consultation_number(street: Street, year: int) -> str:
    """The street's next 登记编号 of the year: 2025-0001, 2025-0002… (numbers typed by hand that do
    not follow the pattern are left alone). Called under the street's row lock."""
    prefix = f"{year}-"
    numbers = (
        Consultation.objects.filter(street=street, number__regex=rf"^{year}-[0-9]{{1,6}}$")
        .annotate(seq=Cast(Substr("number", len(prefix) + 1), output_field=IntegerField()))
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    last = numbers.first() or 0
    return f"{prefix}{last + 1:04d}"


def _number_if_blank(consultation: Consultation) -> None:
    if consultation.number or consultation.street_id is None or consultation.consulted_on is None:
        return
    # One numbering per street: two clerks saving at once wait for each other here.
    Street.objects.select_for_update().filter(pk=consultation.street_id).first()
    consultation.number = next_consultation_number(consultation.street, consultation.consulted_on.year)


@transaction.atomic
def consultation_create(
    *,
    acting_user,
    consulted_on: dt.date,
    topic: str,
    summary: str,
    handled_by: str,
    street: Street | None = None,
    person: Person | None = None,
    visitor_name: str = "",
    channel: str = "visit",
    reply: str = "",
    number: str = "",
) -> Consultation:
    consultation = Consultation(
        number=(number or "").strip(),
        consulted_on=consulted_on,
        street=consultation_street(person, street),
        person=person,
        visitor_name=visitor_name or "",
        channel=channel or "visit",
        topic=topic,
        summary=summary,
        reply=reply or "",
        handled_by=handled_by,
    )
    _number_if_blank(consultation)
    return save_validated(consultation, acting_user=acting_user)


@transaction.atomic
def consultation_update(*, acting_user, consultation: Consultation, **changes: Any) -> Consultation:
    """Correct a consultation; a new person brings his street when none is given. The caller read it
    through `for_user` (another street's answers 404); save_validated checks the street it moves to."""
    changes = blank_for_none(changes, ("number", "visitor_name", "reply"))
    if "person" in changes and changes.get("street") is None:
        changes["street"] = consultation_street(changes["person"], None) or consultation.street
    apply_changes(consultation, changes, CONSULTATION_FIELDS)
    _number_if_blank(consultation)
    return save_validated(consultation, acting_user=acting_user)


@transaction.atomic
def aid_case_create(
    *,
    acting_user,
    person: Person,
    kind: str,
    subject: str,
    counsel: str,
    opened_on: dt.date,
    closed_on: dt.date | None = None,
    outcome: str = "",
    amount_recovered: Decimal | None = None,
    notes: str = "",
) -> AidCase:
    case = AidCase(
        person=person,
        kind=kind,
        subject=subject,
        counsel=counsel,
        opened_on=opened_on,
        closed_on=closed_on,
        outcome=outcome or "",
        amount_recovered=amount_recovered,
        notes=notes or "",
    )
    return save_validated(case, acting_user=acting_user)


@transaction.atomic
def aid_case_update(*, acting_user, case: AidCase, **changes: Any) -> AidCase:
    """Correct or close a case (closing: closed_on with an outcome); the person of a case never changes."""
    changes = blank_for_none(changes, ("outcome", "notes"))
    return save_changes(case, changes, CASE_FIELDS, acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
CONSULTATION_SERVICES = RecordServices(
    create=consultation_create, update=consultation_update, record_arg="consultation"
)
AID_CASE_SERVICES = RecordServices(create=aid_case_create, update=aid_case_update, record_arg="case")
