"""补贴与救助: the two subsidies, 低保, temporary aid and insurance subsidies."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.constraints import (
    NEGATIVE_AMOUNT_MESSAGE,
    first_day_of_month,
    natural_key,
    not_before,
    not_negative,
)
from core.date_bounds import validate_within_planning
from core.models import ChineseNames, yuan_field
from core.periods import PeriodQuerySet, first_of_month, today
from registry.models import PersonRecord


class GrantKind(models.TextChoices):
    LIVING_ALLOWANCE = "living", "困难残疾人生活补贴"
    NURSING_ALLOWANCE = "nursing", "重度残疾人护理补贴"
    DIBAO = "dibao", "最低生活保障"
    TEMPORARY_AID = "temporary_aid", "临时救助"
    PENSION_PREMIUM = "pension_premium", "城乡居民养老保险代缴"
    SOCIAL_INSURANCE = "social_insurance", "社会保险补贴"


class GrantQuerySet(PeriodQuerySet):
    start_field = "start_month"
    end_field = "end_month"
    month_fields = True

    def of_kind(self, *kinds: str) -> GrantQuerySet:
        return self.filter(kind__in=kinds) if len(kinds) > 1 else self.filter(kind=kinds[0])

    def ongoing(self, on: dt.date | None = None) -> GrantQuerySet:
        """发放中: active on `on` (default today)."""
        return self.active_on(on or today())

    def ended(self, on: dt.date | None = None) -> GrantQuerySet:
        """已停发: the end month lies before the month of `on` (default today)."""
        return self.filter(end_month__lt=first_of_month(on or today()))


class Grant(PersonRecord):
    kind = models.CharField("项目", max_length=20, choices=GrantKind.choices)
    # Months are stored as their first day and count as the whole month.
    start_month = models.DateField("开始月份", validators=[validate_within_planning])
    end_month = models.DateField(
        "结束月份", null=True, blank=True, help_text="为空表示仍在发放", validators=[validate_within_planning]
    )
    monthly_amount = yuan_field("月标准（元）", optional=True, help_text="临时救助填一次性金额")

    history = HistoricalRecords(verbose_name="补贴变更记录")
    objects = GrantQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "补贴与救助"
        ordering = ["-start_month", "id"]
        constraints = [
            natural_key(
                "grant", "person", "kind", "start_month", message="该人员已有同一项目、同一开始月份的补贴记录"
            ),
            not_before(
                "end_month", "start_month", name="grant_end_after_start", message="结束月份不能早于开始月份"
            ),
            not_negative(
                "monthly_amount",
                name="grant_amount_not_negative",
                message=NEGATIVE_AMOUNT_MESSAGE,
                nullable=True,
            ),
            first_day_of_month("start_month", name="grant_start_is_month", message="开始月份应记为当月1日"),
            first_day_of_month(
                "end_month", name="grant_end_is_month", message="结束月份应记为当月1日", nullable=True
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "start_month", "end_month"], name="grant_kind_period"),
            # the newest-first lists page through this index instead of sorting every grant
            models.Index(fields=["start_month"], name="grant_start_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_month:%Y-%m}"

    def clean(self) -> None:
        if self.start_month:
            self.start_month = self.start_month.replace(day=1)
        if self.end_month:
            self.end_month = self.end_month.replace(day=1)
        # Temporary aid is a one-off payment: it belongs to its own month only.
        if self.kind == GrantKind.TEMPORARY_AID and self.start_month and not self.end_month:
            self.end_month = self.start_month
        if self.start_month and self.end_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": "结束月份不能早于开始月份"})

    def is_active_on(self, date: dt.date) -> bool:
        """Python twin of GrantQuerySet.active_on (month fields count as the whole month)."""
        return self.start_month <= date and (self.end_month is None or self.end_month >= first_of_month(date))

    @property
    def is_ongoing(self) -> bool:
        return self.is_active_on(today())

    @property
    def status_label(self) -> str:
        if self.is_ongoing:
            return "发放中"
        return "未开始" if self.start_month > today() else "已停发"
