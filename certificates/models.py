"""残疾人证的申领、评定、审核、发证、申诉复议、换领、补领、迁入与注销 as a tracked case.

An application's steps are rows (`ApplicationStep`), each with who and when. The order of steps is
held by the database: a trigger (migration 0002) refuses a step whose sequence is not the next one or
whose kind may not follow the previous step, refuses any change or deletion of a recorded step, and
moves the application's `state` in the same statement. The services check the same order first so
that users read a Chinese message instead of a database error.

Order of steps:
    受理 → [评定] → 街道初审 → 区残联审核 (发证 | 不予办理) → [申诉复议 → 评定 → 区残联审核]
评定 is required when `needs_assessment` (新办, 迁入, 换领 for a change of category or grade); 补领,
换领 on expiry and 注销 go from 受理 straight to 街道初审. An appeal always leads to a re-assessment.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q

from core import idnumbers
from core.constraints import at_least, unique
from core.models import PHONE_MESSAGE, ChineseNames, community_fk, street_fk, user_field, valid_phone
from core.scoping import StreetScopedQuerySet
from registry.models import Category, Grade, category_field, grade_field, person_field

CATEGORY_MESSAGE = "残疾类别应为视力、听力、言语、肢体、智力、精神、多重七类之一"
GRADE_MESSAGE = "残疾等级应为一级至四级"


class ApplicationKind(models.TextChoices):
    NEW = "new", "新办"
    RENEW = "renew", "换领"
    REISSUE = "reissue", "补领"
    MOVE_IN = "move_in", "迁入"
    CANCEL = "cancel", "注销"


class KindReason(models.TextChoices):
    """The sub-reason of 换领 (expiry / change of category or grade), 补领 (lost / damaged) and
    注销 (death / move-out / other)."""

    EXPIRY = "expiry", "有效期满"
    CHANGE = "change", "类别或等级变更"
    LOST = "lost", "遗失"
    DAMAGED = "damaged", "损毁"
    DEATH = "death", "死亡"
    MOVE_OUT = "move_out", "迁出"
    OTHER = "other", "其他"


REASONS_OF_KIND = {
    ApplicationKind.NEW: (),
    ApplicationKind.MOVE_IN: (),
    ApplicationKind.RENEW: (KindReason.EXPIRY, KindReason.CHANGE),
    ApplicationKind.REISSUE: (KindReason.LOST, KindReason.DAMAGED),
    ApplicationKind.CANCEL: (KindReason.DEATH, KindReason.MOVE_OUT, KindReason.OTHER),
}
# An ID number that holds a valid certificate may only apply for these kinds.
KINDS_FOR_HOLDER = (ApplicationKind.RENEW, ApplicationKind.REISSUE, ApplicationKind.CANCEL)


def needs_assessment(kind: str, reason: str) -> bool:
    """新办 and 迁入 (the district confirms the category and grade of a certificate from elsewhere)
    and a 换领 for a change of category or grade are assessed; 补领, 换领 on expiry and 注销 are not."""
    return kind in (ApplicationKind.NEW, ApplicationKind.MOVE_IN) or (
        kind == ApplicationKind.RENEW and reason == KindReason.CHANGE
    )


class ApplicationState(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSESSED = "assessed", "已评定"
    STREET_REVIEWED = "street_reviewed", "街道已初审"
    ISSUED = "issued", "已发证（准予办理）"
    REFUSED = "refused", "不予办理"
    APPEALED = "appealed", "申诉复议中"
    REASSESSED = "reassessed", "复议已评定"


# Waiting for the first decision: these count against the working-day deadline.
PENDING_STATES = (ApplicationState.RECEIVED, ApplicationState.ASSESSED, ApplicationState.STREET_REVIEWED)
# Waiting for the district: the review queue.
QUEUE_STATES = (ApplicationState.STREET_REVIEWED, ApplicationState.REASSESSED)
OPEN_STATES = (*PENDING_STATES, ApplicationState.APPEALED, ApplicationState.REASSESSED)


class StepKind(models.TextChoices):
    INTAKE = "intake", "受理"
    ASSESSMENT = "assessment", "评定"
    STREET_REVIEW = "street_review", "街道初审"
    DISTRICT_REVIEW = "district_review", "区残联审核"
    APPEAL = "appeal", "申诉复议"


class Decision(models.TextChoices):
    ISSUE = "issue", "发证（准予办理）"
    REFUSE = "refuse", "不予办理"


class ApplicationQuerySet(StreetScopedQuerySet):
    street_field = "street"
    # Closed to community workers: applications are handled by street clerks and district staff.
    community_field = None

    def pending(self):
        return self.filter(state__in=PENDING_STATES)

    def review_queue(self):
        return self.filter(state__in=QUEUE_STATES)

    def overdue_on(self, date: dt.date, working_days: int):
        from core.workdays import latest_start_past

        return self.pending().filter(received_on__lte=latest_start_past(working_days, date))


class Application(models.Model):
    name = models.CharField("申请人姓名", max_length=50)
    id_number = models.CharField("公民身份号码", max_length=18)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("居住地址", max_length=200, blank=True)
    street = street_fk()
    community = community_fk()
    kind = models.CharField("申请类型", max_length=10, choices=ApplicationKind.choices)
    reason = models.CharField("具体原因", max_length=10, choices=KindReason.choices, blank=True)
    needs_assessment = models.BooleanField("需要评定", editable=False, default=False)
    person = person_field("certificate_applications", optional=True)
    received_on = models.DateField("受理日期")
    received_by = user_field("受理人")
    state = models.CharField(
        "办理状态", max_length=20, choices=ApplicationState.choices, default=ApplicationState.RECEIVED
    )
    decided_on = models.DateField("审核决定日期", null=True, blank=True)
    outcome = models.CharField("审核结论", max_length=10, choices=Decision.choices, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "办证申请"
        ordering = ["-received_on", "-id"]
        # The lists page through these in their own order instead of sorting (benchmarks/
        # certificates_bench.py): the queue and the overdue list through partial indexes of their states.
        indexes = [
            models.Index(fields=["state", "received_on"], name="cert_app_state_received"),
            models.Index(fields=["street", "received_on", "id"], name="cert_app_street_received"),
            models.Index(fields=["received_on", "id"], name="cert_app_received"),
            models.Index(
                fields=["received_on", "id"],
                name="cert_app_pending_received",
                condition=Q(state__in=["received", "assessed", "street_reviewed"]),
            ),
            models.Index(
                fields=["received_on", "id"],
                name="cert_app_queue_received",
                condition=Q(state__in=["street_reviewed", "reassessed"]),
            ),
            models.Index(fields=["id_number"], name="cert_app_id_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, outcome="")
                | Q(decided_on__isnull=False) & ~Q(outcome=""),
                name="cert_app_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}（{self.masked_id_number}）"

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask_id_number(self.id_number)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.name = (self.name or "").strip()
        try:
            self.id_number = idnumbers.validate_id_number(self.id_number)
        except idnumbers.IdNumberError as exc:
            errors["id_number"] = str(exc)
        # The register's rule: 发证 copies the phone onto the person, whose clean() would refuse it then.
        self.phone = (self.phone or "").strip()
        if self.phone and not valid_phone(self.phone):
            errors["phone"] = PHONE_MESSAGE
        reasons = REASONS_OF_KIND.get(self.kind)
        if reasons is not None:
            if reasons and self.reason not in reasons:
                labels = "、".join(KindReason(r).label for r in reasons)
                errors["reason"] = f"{self.get_kind_display()}须选择具体原因：{labels}"
            elif not reasons:
                self.reason = ""
        self.needs_assessment = needs_assessment(self.kind, self.reason)
        if self.community_id and self.street_id and self.community.street_id != self.street_id:
            errors["community"] = "所属社区不属于所选街道"
        if errors:
            raise ValidationError(errors)


class ApplicationStep(models.Model):
    application = models.ForeignKey(
        Application, verbose_name="办证申请", on_delete=models.PROTECT, related_name="steps"
    )
    sequence = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    done_on = models.DateField("办理日期")
    # 评定
    institution = models.CharField("评定机构", max_length=100, blank=True)
    assessed_on = models.DateField("评定日期", null=True, blank=True)
    category = category_field(blank=True, error_messages={"invalid_choice": CATEGORY_MESSAGE})
    grade = grade_field(blank=True, error_messages={"invalid_choice": GRADE_MESSAGE})
    doctor = models.CharField("评定医生", max_length=50, blank=True)
    # 街道初审 and 区残联审核
    decision = models.CharField("结论", max_length=10, choices=Decision.choices, blank=True)
    reason = models.CharField("理由（告知申请人）", max_length=500, blank=True)
    certificate_number = models.CharField("残疾人证号", max_length=20, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    by = user_field("经办人")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta(ChineseNames):
        verbose_name = "办理环节"
        ordering = ["application", "sequence"]
        constraints = [
            unique("application", "sequence", name="cert_step_sequence_unique"),
            at_least("sequence", 1, name="cert_step_sequence_positive"),
            models.CheckConstraint(
                condition=~Q(kind="assessment")
                | Q(assessed_on__isnull=False, category__in=Category.values, grade__in=Grade.values),
                name="cert_step_assessment_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="district_review") | Q(decision__in=Decision.values),
                name="cert_step_decision_given",
            ),
            models.CheckConstraint(
                condition=~Q(decision="refuse") | ~Q(reason=""),
                name="cert_step_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.get_kind_display()} {self.done_on:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if connection.vendor != "postgresql":
            # PostgreSQL moves the state in the step's trigger (migration 0002); elsewhere (the SQLite
            # quick start) the same rule runs here, in the same transaction as the step.
            appealed = self.kind != StepKind.APPEAL and (
                ApplicationStep.objects.filter(
                    application_id=self.application_id, kind=StepKind.APPEAL
                ).exists()
            )
            Application.objects.filter(pk=self.application_id).update(
                state=state_after_step(self.kind, self.decision, appealed=appealed)
            )


def state_after_step(kind: str, decision: str, *, appealed: bool) -> str:
    """The application's state once a step of `kind` is recorded (the trigger's CASE, for SQLite)."""
    if kind == StepKind.INTAKE:
        return ApplicationState.RECEIVED
    if kind == StepKind.ASSESSMENT:
        return ApplicationState.REASSESSED if appealed else ApplicationState.ASSESSED
    if kind == StepKind.STREET_REVIEW:
        return ApplicationState.STREET_REVIEWED
    if kind == StepKind.DISTRICT_REVIEW:
        return ApplicationState.ISSUED if decision == Decision.ISSUE else ApplicationState.REFUSED
    return ApplicationState.APPEALED
