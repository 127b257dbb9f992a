"""Demo 办证申请 for `manage.py generate_demo_data`: a year of applications up to today in every
state, some undecided past the deadline (overdue), some refused, and one appeal with its
re-assessment and second decision kept beside the first.

The register keeps exactly the persons `--persons` asked for: the demo register's persons issued in
the last year get the 新办 case that led to their certificate (backfilled: the steps are inserted in
order, so the database checks them, and the decision names the certificate already on the register);
新办 of new ID numbers are refused or still open; 换领, 补领 and 注销 of holders go through the
services and change the register as they would in use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from certificates import services
from certificates.models import (
    OPEN_STATES,
    Application,
    ApplicationKind,
    ApplicationState,
    ApplicationStep,
    Decision,
    StepKind,
)
from core.idnumbers import make_id_number
from core.models import Street
from core.periods import today
from core.roles import Role
from registry.models import Category, Grade, Person, PersonStatus

BACKFILLED = 150  # 新办 cases of persons the demo register issued in the last year
OPEN_NEW = 120  # 新办 of new ID numbers: refused or still open
CHANGES = 60  # 换领 / 补领 / 注销 of holders
INSTITUTIONS = ["南京市鼓楼医院", "南京脑科医院", "江苏省人民医院", "南京市第一医院"]
DOCTORS = ["王医生", "李医生", "张医生", "陈医生"]
REFUSAL = "评定结果未达到残疾标准"


def _staff(username: str):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.DISTRICT_STAFF.label))
    return user


def _later(rng: random.Random, day: dt.date, low: int, high: int, end: dt.date) -> dt.date:
    return min(day + dt.timedelta(days=rng.randint(low, high)), end)


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    # demo accounts of generate_demo_data (create_portal_user gives them their roles afterwards):
    # staff take applications in, the administrator decides (nobody decides what he took in)
    intake, reviewer = _staff("demo_staff"), _staff("demo_admin")
    end = today()
    year_ago = end - dt.timedelta(days=365)
    recent = list(
        Person.objects.filter(status=PersonStatus.ACTIVE, issued_on__gt=year_ago + dt.timedelta(days=40))
        .select_related("street", "community")
        .order_by("pk")
    )
    recent = rng.sample(recent, min(BACKFILLED, len(recent)))
    for person in recent:
        _backfill_issue(rng, person, intake, reviewer)
    holders = list(
        Person.objects.filter(status=PersonStatus.ACTIVE, issued_on__lt=year_ago)
        .exclude(pk__in=[p.pk for p in recent])
        .select_related("street", "community")
        .order_by("pk")
    )
    for person in rng.sample(holders, min(CHANGES, len(holders))):
        with contextlib.suppress(ValidationError):
            _change(rng, person, intake, reviewer, end)
    streets = list(Street.objects.order_by("pk"))
    for index in range(OPEN_NEW):
        _open_new(rng, index, streets, intake, reviewer, end)
    _appeal_one(rng, reviewer, end)
    return {
        "申请": Application.objects.count(),
        "已发证": Application.objects.filter(state=ApplicationState.ISSUED).count(),
        "不予办理": Application.objects.filter(state=ApplicationState.REFUSED).count(),
        "办理中": Application.objects.filter(state__in=OPEN_STATES).count(),
    }


def _assess(rng, application, reviewer, day, category=None, grade=None):
    services.application_assess(
        acting_user=reviewer,
        application=application,
        institution=rng.choice(INSTITUTIONS),
        assessed_on=day,
        category=category or rng.choice(Category.values),
        grade=grade or rng.choice(Grade.values),
        doctor=rng.choice(DOCTORS),
        done_on=day,
    )


def _backfill_issue(rng, person: Person, intake, reviewer) -> None:
    issued = person.issued_on
    received = issued - dt.timedelta(days=rng.randint(12, 40))
    application = _receive_backfilled(person, intake, received)
    third = dt.timedelta(days=(issued - received).days // 3)
    assessed = received + third
    _assess(rng, application, reviewer, assessed, person.category, person.grade)
    services.application_street_review(
        acting_user=reviewer, application=application, done_on=received + 2 * third
    )
    ApplicationStep.objects.create(
        application=application,
        sequence=4,
        kind=StepKind.DISTRICT_REVIEW,
        done_on=issued,
        decision=Decision.ISSUE,
        certificate_number=person.certificate_number,
        by=reviewer,
    )
    Application.objects.filter(pk=application.pk).update(
        decided_on=issued, outcome=Decision.ISSUE, person=person
    )


def _receive_backfilled(person: Person, intake, received: dt.date) -> Application:
    """The 新办 that preceded a certificate already on the register (the service refuses a 新办 for
    a holder of a valid certificate, rightly: this is history, written as it happened)."""
    application = Application(
        name=person.name,
        id_number=person.id_number,
        kind=ApplicationKind.NEW,
        street=person.street,
        community=person.community,
        phone=person.phone,
        address=person.address,
        received_on=received,
        received_by=intake,
    )
    application.full_clean(exclude=["received_by", "person"])
    application.save()
    ApplicationStep.objects.create(
        application=application, sequence=1, kind=StepKind.INTAKE, done_on=received, by=intake
    )
    return application


def _change(rng, person: Person, intake, reviewer, end) -> None:
    kind = rng.choices(
        [ApplicationKind.RENEW, ApplicationKind.REISSUE, ApplicationKind.CANCEL], weights=[3, 2, 2]
    )[0]
    reason = {
        ApplicationKind.RENEW: rng.choice(["expiry", "change"]),
        ApplicationKind.REISSUE: rng.choice(["lost", "damaged"]),
        ApplicationKind.CANCEL: rng.choice(["death", "move_out", "other"]),
    }[kind]
    received = end - dt.timedelta(days=rng.randint(0, 365))
    application = services.application_receive(
        acting_user=intake,
        name=person.name,
        id_number=person.id_number,
        kind=kind,
        reason=reason,
        street=person.street,
        community=person.community,
        received_on=received,
    )
    _advance(rng, application, reviewer, end)


def _open_new(rng, index, streets, intake, reviewer, end) -> None:
    birth = dt.date(rng.randint(1945, 2015), rng.randint(1, 12), rng.randint(1, 28))
    received = end - dt.timedelta(days=rng.randint(0, 365))
    try:
        application = services.application_receive(
            acting_user=intake,
            name=f"申请人{index:03d}",
            id_number=make_id_number("320106", birth, 900 + index % 100),
            kind=ApplicationKind.NEW,
            street=rng.choice(streets),
            received_on=received,
            phone=f"139{rng.randint(10000000, 99999999)}",
        )
    except ValidationError:
        return  # an ID number the demo register already holds
    if rng.random() < 0.3:
        return  # only taken in (overdue when old)
    _advance(rng, application, reviewer, end, refuse_only=True)


def _advance(rng, application, reviewer, end, *, refuse_only: bool = False) -> None:
    day = application.received_on
    if application.needs_assessment:
        day = _later(rng, day, 2, 10, end)
        _assess(rng, application, reviewer, day)
        if refuse_only and rng.random() < 0.3:
            return  # waits for the street review
    day = _later(rng, day, 1, 7, end)
    services.application_street_review(acting_user=reviewer, application=application, done_on=day)
    if refuse_only and ((end - day).days < 30 or rng.random() < 0.3):
        return  # waits for the district
    day = _later(rng, day, 2, 20, end)
    services.application_decide(
        acting_user=reviewer,
        application=application,
        decision=Decision.REFUSE if refuse_only else Decision.ISSUE,
        reason=REFUSAL if refuse_only else "",
        done_on=day,
    )


def _appeal_one(rng, reviewer, end) -> None:
    refused = (
        Application.objects.filter(
            state=ApplicationState.REFUSED, decided_on__gte=end - dt.timedelta(days=50)
        )
        .order_by("decided_on", "pk")
        .first()
    )
    if refused is None:
        return
    day = _later(rng, refused.decided_on, 1, 5, end)
    services.application_appeal(
        acting_user=reviewer, application=refused, note="申请人对评定结果不服，申请复议", done_on=day
    )
    day = _later(rng, day, 1, 5, end)
    _assess(rng, refused, reviewer, day)
    services.application_decide(
        acting_user=reviewer,
        application=refused,
        decision=Decision.REFUSE,
        reason="复议维持原决定：重新评定仍未达到残疾标准",
        done_on=_later(rng, day, 1, 3, end),
    )
