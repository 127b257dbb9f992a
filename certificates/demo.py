"""Demo 办证申请 for `manage.py generate_demo_data`: a year of applications up to today in every
state, through the services (so the steps are in order and 发证 writes the register): most decided,
some refused, the recent ones still open, a few left undecided past the deadline (overdue), and one
appeal with its re-assessment and second decision."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from certificates import services
from certificates.models import OPEN_STATES, Application, ApplicationKind, ApplicationState, Decision
from registry.idnumbers import make_id_number
from registry.models import Category, Grade, Person, PersonStatus, Street
from registry.periods import today
from registry.roles import Role

APPLICATIONS = 360
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
    intake, reviewer = _staff("demo_staff"), _staff("demo_certificate_reviewer")
    end = today()
    streets = list(Street.objects.all())
    holders = list(
        Person.objects.filter(status=PersonStatus.ACTIVE).order_by("?").values_list("pk", flat=True)[:200]
    )
    made = 0
    for index in range(APPLICATIONS):
        received_on = end - dt.timedelta(days=rng.randint(0, 365))
        try:
            application = _receive(rng, index, received_on, streets, holders, intake)
        except ValidationError:
            continue  # an ID number already taken by the demo register
        made += 1
        age = (end - received_on).days
        # recent applications are open; a few old ones stay undecided (overdue)
        if age < 20 or rng.random() < 0.04:
            if rng.random() < 0.35:
                continue  # only taken in
            _advance(rng, application, reviewer, end, stop_before_decision=rng.random() < 0.5)
            continue
        _advance(rng, application, reviewer, end)
    _appeal_one(rng, reviewer, end)
    return {
        "申请": made,
        "已发证": Application.objects.filter(state=ApplicationState.ISSUED).count(),
        "不予办理": Application.objects.filter(state=ApplicationState.REFUSED).count(),
        "办理中": Application.objects.filter(state__in=OPEN_STATES).count(),
    }


def _receive(rng, index, received_on, streets, holders, intake) -> Application:
    kind = rng.choices(
        [
            ApplicationKind.NEW,
            ApplicationKind.RENEW,
            ApplicationKind.REISSUE,
            ApplicationKind.MOVE_IN,
            ApplicationKind.CANCEL,
        ],
        weights=[60, 15, 8, 7, 10],
    )[0]
    person = None
    if kind in (ApplicationKind.RENEW, ApplicationKind.REISSUE, ApplicationKind.CANCEL) and holders:
        person = Person.objects.get(pk=holders.pop())
    else:
        kind = rng.choice([ApplicationKind.NEW, ApplicationKind.NEW, ApplicationKind.MOVE_IN])
    reason = {
        ApplicationKind.RENEW: rng.choice(["expiry", "change"]),
        ApplicationKind.REISSUE: rng.choice(["lost", "damaged"]),
        ApplicationKind.CANCEL: rng.choice(["death", "move_out", "other"]),
    }.get(kind, "")
    if person is not None:
        return services.application_receive(
            acting_user=intake,
            name=person.name,
            id_number=person.id_number,
            kind=kind,
            reason=reason,
            street=person.street,
            community=person.community,
            received_on=received_on,
        )
    birth = dt.date(rng.randint(1945, 2015), rng.randint(1, 12), rng.randint(1, 28))
    street = rng.choice(streets)
    return services.application_receive(
        acting_user=intake,
        name=f"申请人{index:03d}",
        id_number=make_id_number("320106", birth, 800 + index % 200),
        kind=kind,
        reason=reason,
        street=street,
        received_on=received_on,
        phone=f"139{rng.randint(10000000, 99999999)}",
    )


def _advance(rng, application, reviewer, end, *, stop_before_decision: bool = False) -> None:
    day = application.received_on
    if application.needs_assessment:
        day = _later(rng, day, 2, 10, end)
        services.application_assess(
            acting_user=reviewer,
            application=application,
            institution=rng.choice(INSTITUTIONS),
            assessed_on=day,
            category=rng.choice(Category.values),
            grade=rng.choice(Grade.values),
            doctor=rng.choice(DOCTORS),
            done_on=day,
        )
        if stop_before_decision and rng.random() < 0.5:
            return
    day = _later(rng, day, 1, 7, end)
    services.application_street_review(acting_user=reviewer, application=application, done_on=day)
    if stop_before_decision:
        return
    day = _later(rng, day, 2, 20, end)
    refuse = application.kind == ApplicationKind.NEW and rng.random() < 0.1
    # a demo person whose certificate was issued after the decision date stays at 街道初审
    with contextlib.suppress(ValidationError):
        services.application_decide(
            acting_user=reviewer,
            application=application,
            decision=Decision.REFUSE if refuse else Decision.ISSUE,
            reason=REFUSAL if refuse else "",
            done_on=day,
        )


def _appeal_one(rng, reviewer, end) -> None:
    refused = (
        Application.objects.filter(
            state=ApplicationState.REFUSED, decided_on__gte=end - dt.timedelta(days=50)
        )
        .order_by("decided_on")
        .first()
    )
    if refused is None:
        return
    day = _later(rng, refused.decided_on, 1, 5, end)
    services.application_appeal(
        acting_user=reviewer, application=refused, note="申请人对评定结果不服，申请复议", done_on=day
    )
    day = _later(rng, day, 1, 5, end)
    services.application_assess(
        acting_user=reviewer,
        application=refused,
        institution=INSTITUTIONS[0],
        assessed_on=day,
        category=Category.PHYSICAL,
        grade=Grade.FOURTH,
        doctor=DOCTORS[0],
        done_on=day,
    )
    services.application_decide(
        acting_user=reviewer,
        application=refused,
        decision=Decision.ISSUE,
        done_on=_later(rng, day, 1, 3, end),
    )
