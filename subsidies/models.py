"""补贴与救助: the two subsidies, 低保, temporary aid and insurance subsidies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from registry.models import Person
from registry.periods import PeriodQuerySet


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

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class Grant(models.Model):
    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.PROTECT, related_name="grants"
    )
    kind = models.CharField("项目", max_length=20, choices=GrantKind.choices)
    # Months are stored as their first day and count as the whole month.
    start_month = models.DateField("开始月份")
    end_month = models.DateField("结束月份", null=True, blank=True, help_text="为空表示仍在发放")
    monthly_amount = models.DecimalField(
        "月标准（元）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="临时救助填一次性金额",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="补贴变更记录")
    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = "补贴与救助"
        verbose_name_plural = "补贴与救助"
        ordering = ["-start_month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "start_month"], name="grant_natural_key"),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="grant_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gte=0),
                name="grant_amount_not_negative",
            ),
            models.CheckConstraint(condition=Q(start_month__day=1), name="grant_start_is_month"),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__day=1), name="grant_end_is_month"
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_month", "end_month"], name="grant_kind_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_month:%Y-%m}"

    def clean(self) -> None:
        if self.start_month:
            self.start_month = self.start_month.replace(day=1)
        if self.end_month:
            self.end_month = self.end_month.replace(day=1)
        if self.start_month and self.end_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": "结束月份不能早于开始月份"})
