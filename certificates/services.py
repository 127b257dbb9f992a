"""Writes of 办证申请: intake and each step. Pages, the API, the admin and the Excel import call these.

Every rule lives here or in the models' clean(), so every door gives the same Chinese message:
- the kind an ID number may apply for (`check_kind_for_id_number`),
- the order of steps (`expected_next_steps`; the database trigger refuses the same),
- the four-eyes rule on decisions (CERTIFICATE_FOUR_EYES),
- category and grade come from the latest assessment, the certificate number from the registry rule,
- an assessment is not dated before the application, an appeal comes within CERTIFICATE_APPEAL_DAYS.
A decision 发证 writes the register through registry.services (history with the acting user).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from certificates.models import (
    KINDS_FOR_HOLDER,
    Application,
    ApplicationKind,
    ApplicationStep,
    Decision,
    KindReason,
    StepKind,
)
from core import idnumbers
from core.models import Community, Street
from core.periods import today
from core.roles import may_edit_records, sees_all_streets
from core.scoping import ensure_may_change
from registry import services as registry_services
from registry.models import Person, PersonStatus

FOUR_EYES_MESSAGE = "审核决定不能由受理该申请的经办人录入"
STAFF_ONLY_MESSAGE = "区残联审核只能由区残联工作人员录入"


def _ensure_may_handle(*, acting_user, application: Application) -> None:
    if not may_edit_records(acting_user):
        raise ValidationError("无权办理残疾人证申请")
    ensure_may_change(acting_user, application)


def holder_of(id_number: str) -> Person | None:
    """The person on the register with this ID number, if any (whatever their status)."""
    return Person.objects.filter(id_number=id_number).first()


def check_kind_for_id_number(*, kind: str, id_number: str) -> Person | None:
    """An ID number that holds a valid certificate may apply only for 换领, 补领 or 注销; 换领, 补领
    and 注销 need a valid certificate; 新办 and 迁入 of a cancelled or moved-out person reuse the record."""
    person = holder_of(id_number)
    holds_valid = person is not None and person.status == PersonStatus.ACTIVE
    if holds_valid and kind not in KINDS_FOR_HOLDER:
        raise ValidationError({"kind": "该身份证号码已持有有效残疾人证，只能申请换领、补领或注销"})
    if not holds_valid and kind in KINDS_FOR_HOLDER:
        raise ValidationError({"kind": "该身份证号码没有有效残疾人证，不能申请换领、补领或注销"})
    if person is not None and person.status == PersonStatus.DECEASED:
        raise ValidationError({"id_number": "该身份证号码的人员已登记死亡"})
    return person


def _check_open_application(id_number: str, exclude_pk: int | None = None) -> None:
    from certificates.models import OPEN_STATES

    open_ones = Application.objects.filter(id_number=id_number, state__in=OPEN_STATES)
    if exclude_pk:
        open_ones = open_ones.exclude(pk=exclude_pk)
    if open_ones.exists():
        raise ValidationError({"id_number": "该身份证号码已有正在办理的申请"})


def validate_application(application: Application) -> None:
    """Every rule of a new application (the import's check_rules calls this too)."""
    application.full_clean(exclude=["received_by", "person"])
    check_kind_for_id_number(kind=application.kind, id_number=application.id_number)
    _check_open_application(application.id_number)
    if application.received_on > today():
        raise ValidationError({"received_on": "受理日期不能晚于今天"})


@transaction.atomic
def application_receive(
    *,
    acting_user,
    name: str,
    id_number: str,
    kind: str,
    street: Street,
    received_on: dt.date | None = None,
    reason: str = "",
    community: Community | None = None,
    phone: str = "",
    address: str = "",
    note: str = "",
) -> Application:
    """受理: the application and its first step."""
    application = Application(
        name=name,
        id_number=idnumbers.normalize_id_number(id_number),
        kind=kind,
        reason=reason or "",
        street=street,
        community=community,
        phone=(phone or "").strip(),
        address=(address or "").strip(),
        received_on=received_on or today(),
        received_by=acting_user,
    )
    _ensure_may_handle(acting_user=acting_user, application=application)
    validate_application(application)
    application.person = holder_of(application.id_number)
    application.save()
    ApplicationStep.objects.create(
        application=application,
        sequence=1,
        kind=StepKind.INTAKE,
        done_on=application.received_on,
        note=note or "",
        by=acting_user,
    )
    application.refresh_from_db(fields=["state"])
    return application


def steps_of(application: Application) -> list[ApplicationStep]:
    return list(application.steps.order_by("sequence"))


def expected_next_steps(application: Application, steps: list[ApplicationStep] | None = None) -> list[str]:
    """The one step kind that may come next (a list: empty when the case is closed). The database
    trigger in migration 0002 holds the same table."""
    steps = steps_of(application) if steps is None else steps
    if not steps:
        return [StepKind.INTAKE]
    last = steps[-1].kind
    appealed = any(s.kind == StepKind.APPEAL for s in steps)
    if last == StepKind.INTAKE:
        return [StepKind.ASSESSMENT if application.needs_assessment else StepKind.STREET_REVIEW]
    if last == StepKind.ASSESSMENT:
        return [StepKind.DISTRICT_REVIEW if appealed else StepKind.STREET_REVIEW]
    if last == StepKind.STREET_REVIEW:
        return [StepKind.DISTRICT_REVIEW]
    if last == StepKind.DISTRICT_REVIEW and not appealed:
        return [StepKind.APPEAL]
    if last == StepKind.APPEAL:
        return [StepKind.ASSESSMENT]
    return []


def latest_assessment(steps: list[ApplicationStep]) -> ApplicationStep | None:
    return next((s for s in reversed(steps) if s.kind == StepKind.ASSESSMENT), None)


def _lock(application: Application) -> tuple[Application, list[ApplicationStep]]:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    return locked, steps_of(locked)


def _begin_step(
    acting_user, application: Application, kind: str, done_on: dt.date | None
) -> tuple[Application, list[ApplicationStep], dt.date]:
    """A street's step: the user may handle the application, which is locked with its steps, and
    `kind` comes next on `done_on` (today when not given)."""
    _ensure_may_handle(acting_user=acting_user, application=application)
    application, steps = _lock(application)
    done_on = done_on or today()
    _check_step(application, steps, kind, done_on)
    return application, steps, done_on


def _check_step(application: Application, steps: list[ApplicationStep], kind: str, done_on: dt.date) -> None:
    allowed = expected_next_steps(application, steps)
    if kind not in allowed:
        if not allowed:
            raise ValidationError("该申请已办结，不能再录入环节")
        raise ValidationError(
            f"环节顺序错误：下一步应为“{StepKind(allowed[0]).label}”，不能录入“{StepKind(kind).label}”"
        )
    if done_on > today():
        raise ValidationError({"done_on": "办理日期不能晚于今天"})
    if steps and done_on < steps[-1].done_on:
        raise ValidationError({"done_on": f"办理日期不能早于上一环节（{steps[-1].done_on:%Y-%m-%d}）"})


def _add_step(application: Application, steps: list[ApplicationStep], **fields) -> ApplicationStep:
    step = ApplicationStep(application=application, sequence=len(steps) + 1, **fields)
    step.full_clean(exclude=["application", "by"])
    step.save()
    return step


@transaction.atomic
def application_assess(
    *,
    acting_user,
    application: Application,
    institution: str,
    assessed_on: dt.date,
    category: str,
    grade: str,
    doctor: str,
    done_on: dt.date | None = None,
) -> ApplicationStep:
    """评定 (or the re-assessment after an appeal), from the assessment form."""
    application, steps, done_on = _begin_step(acting_user, application, StepKind.ASSESSMENT, done_on)
    errors = {}
    if not (institution or "").strip():
        errors["institution"] = "请填写评定机构"
    if not (doctor or "").strip():
        errors["doctor"] = "请填写评定医生"
    if assessed_on is None:
        errors["assessed_on"] = "请填写评定日期"
    elif assessed_on < application.received_on:
        errors["assessed_on"] = f"评定日期不能早于受理日期（{application.received_on:%Y-%m-%d}）"
    elif assessed_on > today():
        errors["assessed_on"] = "评定日期不能晚于今天"
    elif assessed_on > done_on:
        # the step records an assessment that has taken place: the street review may not come first
        errors["assessed_on"] = f"评定日期不能晚于办理日期（{done_on:%Y-%m-%d}）"
    if errors:
        raise ValidationError(errors)
    return _add_step(
        application,
        steps,
        kind=StepKind.ASSESSMENT,
        done_on=done_on,
        institution=institution.strip(),
        assessed_on=assessed_on,
        category=category or "",
        grade=grade or "",
        doctor=doctor.strip(),
        by=acting_user,
    )


@transaction.atomic
def application_street_review(
    *, acting_user, application: Application, note: str = "", done_on: dt.date | None = None
) -> ApplicationStep:
    """街道初审: the street passes the application on to the district."""
    application, steps, done_on = _begin_step(acting_user, application, StepKind.STREET_REVIEW, done_on)
    return _add_step(
        application, steps, kind=StepKind.STREET_REVIEW, done_on=done_on, note=note or "", by=acting_user
    )


@transaction.atomic
def application_appeal(
    *, acting_user, application: Application, note: str = "", done_on: dt.date | None = None
) -> ApplicationStep:
    """申诉复议: within CERTIFICATE_APPEAL_DAYS after the decision; a re-assessment follows."""
    application, steps, done_on = _begin_step(acting_user, application, StepKind.APPEAL, done_on)
    limit = settings.CERTIFICATE_APPEAL_DAYS
    if (done_on - application.decided_on).days > limit:
        raise ValidationError({"done_on": f"申诉复议须在审核决定后{limit}日内提出"})
    if not (note or "").strip():
        raise ValidationError({"note": "请填写申诉理由"})
    return _add_step(
        application, steps, kind=StepKind.APPEAL, done_on=done_on, note=note.strip(), by=acting_user
    )


def decision_refusal(acting_user, application: Application) -> str | None:
    """Why `acting_user` may not record the district's decision on `application` (None: he may): the
    pages offer the decision form only to those who may save it."""
    if not sees_all_streets(acting_user):
        return STAFF_ONLY_MESSAGE
    if settings.CERTIFICATE_FOUR_EYES and application.received_by_id == acting_user.pk:
        return FOUR_EYES_MESSAGE
    return None


@transaction.atomic
def application_decide(
    *,
    acting_user,
    application: Application,
    decision: str,
    reason: str = "",
    done_on: dt.date | None = None,
    end_records: Collection[str] = (),
) -> ApplicationStep:
    """区残联审核: 发证 writes the register (or, for 注销, the person's status); 不予办理 needs a reason
    the applicant is told. A decision after an appeal is a new row beside the first one."""
    if (refusal := decision_refusal(acting_user, application)) is not None:
        raise ValidationError(refusal)  # before the lock: who took the application in never changes
    application, steps = _lock(application)
    done_on = done_on or today()
    _check_step(application, steps, StepKind.DISTRICT_REVIEW, done_on)
    if decision not in Decision.values:
        raise ValidationError({"decision": "请选择审核结论：发证或不予办理"})
    reason = (reason or "").strip()
    if decision == Decision.REFUSE and not reason:
        raise ValidationError({"reason": "不予办理须填写告知申请人的理由"})
    certificate_number = ""
    if decision == Decision.ISSUE:
        person = _issue(
            acting_user=acting_user, application=application, steps=steps, on=done_on, end_records=end_records
        )
        certificate_number = person.certificate_number
        application.person = person
    step = _add_step(
        application,
        steps,
        kind=StepKind.DISTRICT_REVIEW,
        done_on=done_on,
        decision=decision,
        reason=reason,
        certificate_number=certificate_number,
        by=acting_user,
    )
    # The first decision dates the case (deadline, median); a decision after an appeal stands beside it.
    fields = ["person"]
    if application.decided_on is None:
        application.decided_on = done_on
        application.outcome = decision
        fields += ["decided_on", "outcome"]
    Application.objects.filter(pk=application.pk).update(**{f: getattr(application, f) for f in fields})
    return step


CANCEL_STATUS = {
    KindReason.DEATH: PersonStatus.DECEASED,
    KindReason.MOVE_OUT: PersonStatus.MOVED_OUT,
    KindReason.OTHER: PersonStatus.CANCELLED,
}


def _issue(*, acting_user, application: Application, steps, on: dt.date, end_records) -> Person:
    person = check_kind_for_id_number(kind=application.kind, id_number=application.id_number)
    assessment = latest_assessment(steps)
    if application.kind == ApplicationKind.CANCEL:
        return registry_services.person_change_status(
            acting_user=acting_user,
            person=person,
            status=CANCEL_STATUS[application.reason],
            changed_on=on,
            end_records=end_records,
        )
    details = {
        "name": application.name,
        "street": application.street,
        "community": application.community,
        "address": application.address,
        "phone": application.phone,
        "issued_on": on,
    }
    if assessment is not None:
        details |= {"category": assessment.category, "grade": assessment.grade}
    if person is None:
        return registry_services.person_register(
            acting_user=acting_user, id_number=application.id_number, **details
        )
    if person.status != PersonStatus.ACTIVE:
        # 新办 or 迁入 of a person whose earlier certificate was cancelled: the same record comes back
        person = registry_services.person_change_status(
            acting_user=acting_user, person=person, status=PersonStatus.ACTIVE
        )
    if application.kind in (ApplicationKind.RENEW, ApplicationKind.REISSUE):
        # 发证日期 on the register stays the first issue: it is when the person entered the register
        # (the indicators' P(Y)); the date of a renewed or reissued certificate is the decision's.
        details = (
            {"category": details["category"], "grade": details["grade"]} if assessment is not None else {}
        )
        if not details:
            return person
    return registry_services.person_update(acting_user=acting_user, person=person, **details)
