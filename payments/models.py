"""发放名册: standards, monthly rolls, their lines, held grants and the recovery ledger (payments.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from core.constraints import first_day_of_month, not_negative, unique
from core.models import ChineseNames, TimestampedModel, change_history, street_fk, user_field, yuan_field
from core.scoping import StreetScopedQuerySet
from registry.models import Person, person_field
from subsidies.models import Grant, GrantKind

# The kinds paid on a roll; 最低生活保障 and the two insurance kinds are paid by other bodies.
ROLL_KINDS = (GrantKind.LIVING_ALLOWANCE, GrantKind.NURSING_ALLOWANCE, GrantKind.TEMPORARY_AID)
# 临时救助 is one-off: it has no standard, only the grant's own amount.
STANDARD_KINDS = (GrantKind.LIVING_ALLOWANCE, GrantKind.NURSING_ALLOWANCE)
ROLL_KIND_CHOICES = [(kind.value, kind.label) for kind in ROLL_KINDS]
STANDARD_KIND_CHOICES = [(kind.value, kind.label) for kind in STANDARD_KINDS]


LOCKED_MESSAGE = "已审核名册的明细不能修改或删除：更正请通过以后月份的补发和追回"


class RollState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已审核"
    PAID = "paid", "已发放"


APPROVED_STATES = (RollState.APPROVED, RollState.PAID)


class LineType(models.TextChoices):
    REGULAR = "regular", "当月"
    ARREARS = "arrears", "补发"


class HeldReason(models.TextChoices):
    DUPLICATE = "duplicate", "同一项目重复"
    NO_AMOUNT = "no_amount", "未核定金额"


class Standard(TimestampedModel):
    """补贴标准: the monthly amount of a kind from its effective month until the next standard."""

    kind = models.CharField("项目", max_length=20, choices=STANDARD_KIND_CHOICES)
    monthly_amount = yuan_field("月标准（元）")
    effective_month = models.DateField("起始月份")
    note = models.CharField("备注", max_length=200, blank=True)

    history = change_history("补贴标准变更记录")

    class Meta(ChineseNames):
        verbose_name = "补贴标准"
        ordering = ["kind", "-effective_month"]
        constraints = [
            unique(
                "kind",
                "effective_month",
                name="standard_one_per_kind_month",
                message="该项目在同一起始月份已有补贴标准",
            ),
            not_negative("monthly_amount", name="standard_amount_not_negative", message="月标准不能为负数"),
            first_day_of_month(
                "effective_month", name="standard_month_is_first_day", message="起始月份应记为当月1日"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_month:%Y-%m} {self.monthly_amount}元"

    def clean(self) -> None:
        if self.effective_month:
            self.effective_month = self.effective_month.replace(day=1)
        if self.monthly_amount is not None and self.monthly_amount < 0:
            raise ValidationError({"monthly_amount": "月标准不能为负数"})


class RollQuerySet(StreetScopedQuerySet):
    street_field = "street"

    def approved(self) -> RollQuerySet:
        return self.filter(state__in=APPROVED_STATES)


class Roll(models.Model):
    """One street's roll for one month."""

    street = street_fk(verbose_name="街道")
    month = models.DateField("月份")
    state = models.CharField("状态", max_length=10, choices=RollState.choices, default=RollState.DRAFT)
    built_at = models.DateTimeField("生成时间", null=True, blank=True)
    built_by = user_field("生成人", optional=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = user_field("提交人", optional=True)
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    approved_by = user_field("审核人", optional=True)
    returned_reason = models.CharField("退回原因", max_length=500, blank=True)
    exported_at = models.DateTimeField("导出银行文件时间", null=True, blank=True)
    exported_by = user_field("导出人", optional=True)

    history = change_history("发放名册变更记录")
    objects = RollQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "发放名册"
        ordering = ["-month", "street__order"]
        constraints = [
            unique("street", "month", name="roll_one_per_street_month", message="该街道该月份已有发放名册"),
            first_day_of_month("month", name="roll_month_is_first_day", message="月份应记为当月1日"),
            # Four eyes: whoever approves a roll did not submit it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(submitted_by__isnull=True)
                | ~Q(approved_by=F("submitted_by")),
                name="roll_approver_is_not_submitter",
                violation_error_message="审核人不能是提交人",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "paid"]) | Q(approved_by__isnull=False),
                name="roll_approved_has_approver",
                violation_error_message="已审核的名册必须有审核人",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.month:%Y-%m} 发放名册"

    @property
    def is_approved(self) -> bool:
        return self.state in APPROVED_STATES


class RollLineQuerySet(StreetScopedQuerySet):
    street_field = "roll__street"


def _trigger_checked_fk(
    to, verbose_name: str, *, on_delete=models.PROTECT, related_name: str = "+"
) -> models.ForeignKey:
    """A roll line's foreign key with neither index nor database constraint: statement-level triggers
    check it instead (RollLine's comment says why)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        related_name=related_name,
        db_index=False,
        db_constraint=False,
    )


class RollLine(models.Model):
    """One payment: a person, a kind and a month, at an amount, from a grant.

    `locked` is set when the roll is approved and never cleared; `paid` is locked and not failed.
    Both are denormalised from the roll so that the database itself can say "paid at most once
    ever" (a partial unique index) and "an approved line never changes" (a trigger on PostgreSQL).
    """

    # No single-column indexes: (roll, type, id), (roll, person, kind, month) and the paid lines'
    # (person, kind, month) serve every look-up, and a roll's lines are written in bulk (every index
    # costs the build: a full (person, kind, month) index over all lines, updated at random places
    # for each new line, cost about 40 % of writing a district roll, so there is none).
    # No database foreign keys on roll, person and grant (db_constraint=False). PostgreSQL checks a
    # foreign key with one trigger call per new row at commit, locking the referenced row (FOR KEY
    # SHARE, for person and grant a write to nearly every page of both tables for a district roll):
    # 35-45 % of a district build. Lines are written only by the build, which takes roll, person and
    # grant from the tables in the same transaction; persons and grants are never deleted (they
    # change status or end), PROTECT still refuses an ORM delete and CASCADE (Django's) still empties
    # a deleted roll. The database keeps the guarantee with statement-level triggers instead (payments
    # migration 0006): one anti-join per INSERT checks that every new line's roll exists and its grant
    # exists and belongs to its person; deleting a roll, person or grant that has lines is refused.
    roll = _trigger_checked_fk(Roll, "发放名册", on_delete=models.CASCADE, related_name="lines")
    person = _trigger_checked_fk(Person, "持证残疾人")
    grant = _trigger_checked_fk(Grant, "补贴")
    kind = models.CharField("项目", max_length=20, choices=ROLL_KIND_CHOICES)
    month = models.DateField("所属月份")
    amount = yuan_field("金额（元）")
    type = models.CharField("类型", max_length=10, choices=LineType.choices, default=LineType.REGULAR)
    locked = models.BooleanField("已审核", default=False)
    paid = models.BooleanField("已发放", default=False)
    failed = models.BooleanField("发放失败", default=False)
    failed_reason = models.CharField("失败原因", max_length=200, blank=True)

    objects = RollLineQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "名册明细"
        ordering = ["roll", "id"]
        constraints = [
            unique(
                "person",
                "kind",
                "month",
                condition=Q(paid=True),
                name="line_paid_once_ever",
                message="该人员该项目该月份已由审核通过的名册发放",
            ),
            unique("roll", "person", "kind", "month", name="line_once_per_roll"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="line_amount_positive"),
            first_day_of_month("month", name="line_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(paid=False) | Q(locked=True, failed=False), name="line_paid_is_locked_not_failed"
            ),
        ]
        indexes = [
            # the roll page's tabs page through a roll's lines in build order (ID number order)
            models.Index(fields=["roll", "type", "id"], name="line_roll_type_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m} {self.amount}元"

    def save(self, *args, **kwargs) -> None:
        # The code's guard (PostgreSQL also has a trigger): a line of an approved roll never changes.
        # Approval and the bank's return file change the flags in bulk, through the services.
        if self.pk and RollLine.objects.filter(pk=self.pk, locked=True).exists():
            raise ValidationError(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.locked:
            raise ValidationError(LOCKED_MESSAGE)
        return super().delete(*args, **kwargs)


class HeldItem(models.Model):
    """A grant due in a month but not paid on the roll, with the reason."""

    roll = models.ForeignKey(Roll, verbose_name="发放名册", on_delete=models.CASCADE, related_name="held")
    person = person_field("+")
    grant = models.ForeignKey(Grant, verbose_name="补贴", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("项目", max_length=20, choices=ROLL_KIND_CHOICES)
    month = models.DateField("所属月份")
    reason = models.CharField("原因", max_length=12, choices=HeldReason.choices)

    objects = RollLineQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "暂停发放"
        ordering = ["roll", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m} {self.get_reason_display()}"


class RecoveryQuerySet(StreetScopedQuerySet):
    street_field = "roll__street"

    def ledger(self) -> RecoveryQuerySet:
        """The recovery ledger: items found on approved rolls."""
        return self.filter(roll__state__in=APPROVED_STATES)

    def outstanding(self) -> RecoveryQuerySet:
        return self.ledger().filter(recovered_on__isnull=True)


class Recovery(models.Model):
    """追回: an amount paid by an approved roll but not due (or more than due) as known now."""

    roll = models.ForeignKey(
        Roll, verbose_name="发现于名册", on_delete=models.CASCADE, related_name="recoveries"
    )
    person = person_field("+")
    kind = models.CharField("项目", max_length=20, choices=ROLL_KIND_CHOICES)
    month = models.DateField("所属月份")
    amount = yuan_field("应追回金额（元）")
    recovered_on = models.DateField("追回日期", null=True, blank=True)
    recovered_amount = yuan_field("追回金额（元）", optional=True)
    recovered_by = user_field("经办人", optional=True)

    history = change_history("追回变更记录")
    objects = RecoveryQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "追回"
        ordering = ["-month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
            not_negative("recovered_amount", nullable=True, name="recovery_recovered_not_negative"),
        ]
        indexes = [models.Index(fields=["person", "kind", "month"], name="recovery_person_kind_month")]

    def __str__(self) -> str:
        return f"追回 {self.get_kind_display()} {self.month:%Y-%m} {self.amount}元"
