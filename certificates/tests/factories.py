"""Applications built through the services, so the database trigger sees every step in order."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group

from certificates import services
from certificates.models import Application, ApplicationKind
from core.idnumbers import make_id_number
from core.models import Street
from core.roles import Role
from registry.tests.factories import make_user

_ids = itertools.count(1)
_users = itertools.count(1)


# The columns of the applications template, in order.
APPLICATION_HEADER = [
    "申请人姓名",
    "公民身份号码",
    "申请类型",
    "具体原因",
    "受理日期",
    "所属街道",
    "所属社区",
    "联系电话",
    "居住地址",
]


def new_id_number(birth: dt.date = dt.date(1985, 3, 4)) -> str:
    return make_id_number("320106", birth, 500 + next(_ids))


def staff(name: str | None = None):
    return make_user(name or f"cert_staff{next(_users)}", Role.DISTRICT_STAFF)


def clerk(street_name: str = "宁海路街道"):
    return make_user(f"cert_clerk{next(_users)}", Role.STREET_CLERK, street_name)


def receive(
    *,
    by=None,
    street: Street | None = None,
    kind: str = ApplicationKind.NEW,
    reason: str = "",
    id_number: str | None = None,
    received_on: dt.date = dt.date(2025, 3, 3),
    name: str = "申请人",
) -> Application:
    street = street or Street.objects.get(name="宁海路街道")
    by = by or staff()
    assert Group.objects.exists()
    return services.application_receive(
        acting_user=by,
        name=name,
        id_number=id_number or new_id_number(),
        kind=kind,
        reason=reason,
        street=street,
        received_on=received_on,
    )


def assess(application, *, by=None, on: dt.date | None = None, category="4", grade="2"):
    on = on or application.received_on + dt.timedelta(days=3)
    return services.application_assess(
        acting_user=by or staff(),
        application=application,
        institution="鼓楼医院",
        assessed_on=on,
        category=category,
        grade=grade,
        doctor="王医生",
        done_on=max(on, application.received_on),
    )


def street_review(application, *, by=None, on: dt.date | None = None):
    on = on or application.received_on + dt.timedelta(days=5)
    return services.application_street_review(acting_user=by or staff(), application=application, done_on=on)


def decide(application, *, by=None, decision="issue", reason="", on: dt.date | None = None, end_records=()):
    on = on or application.received_on + dt.timedelta(days=10)
    return services.application_decide(
        acting_user=by or staff(),
        application=application,
        decision=decision,
        reason=reason,
        done_on=on,
        end_records=end_records,
    )


def issued_new(**kwargs) -> Application:
    """A 新办 taken through to 发证."""
    application = receive(**kwargs)
    assess(application)
    street_review(application)
    decide(application)
    application.refresh_from_db()
    return application


def refused(on: dt.date = dt.date(2025, 3, 13)) -> Application:
    """A 新办 refused by the district on `on` (未达标准), open to an appeal."""
    application = receive()
    assess(application)
    street_review(application)
    decide(application, decision="refuse", reason="未达标准", on=on)
    return application
