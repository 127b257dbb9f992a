"""托养机构 (care homes, 残疾人之家), 托养服务 (placements) and 辅助性就业项目."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from registry.models import Person, Street
from registry.periods import EndAfterStartMixin, PeriodQuerySet, end_after_start_constraint
from registry.scoping import StreetScopedQuerySet


class HomeLevel(models.TextChoices):
    DISTRICT = "district", "区级"
    STREET = "street", "街道级"
    HOME_BASED = "home_based", "居家安养"


class Rating(models.TextChoices):
    A1 = "1A", "1A"
    A2 = "2A", "2A"
    A3 = "3A", "3A"
    A4 = "4A", "4A"
    A5 = "5A", "5A"


class CareHomeQuerySet(StreetScopedQuerySet):
    street_field = "street"

    def operating_on(self, date: dt.date):
        """Opened on or before `date` and not closed on or before it."""
        return self.filter(Q(opened_on__lte=date) & (Q(closed_on__isnull=True) | Q(closed_on__gt=date)))

    def disabled_persons_homes(self):
        return self.filter(is_disabled_home=True)


class CareHome(models.Model):
    name = models.CharField("机构名称", max_length=100, unique=True)
    level = models.CharField("机构级别", max_length=12, choices=HomeLevel.choices)
    street = models.ForeignKey(
        Street, verbose_name="所属街道", on_delete=models.PROTECT, related_name="care_homes"
    )
    is_disabled_home = models.BooleanField("残疾人之家", default=False)
    rating = models.CharField("评级", max_length=2, choices=Rating.choices, blank=True)
    opened_on = models.DateField("启用日期")
    closed_on = models.DateField("停用日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="托养机构变更记录")
    objects = CareHomeQuerySet.as_manager()

    class Meta:
        verbose_name = "托养机构"
        verbose_name_plural = "托养机构"
        ordering = ["street__order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="carehome_closed_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "停用日期不能早于启用日期"})


class PlacementMode(models.TextChoices):
    RESIDENTIAL = "residential", "寄宿托养"
    DAY_CARE = "day_care", "日间照料"
    HOME_CARE = "home_care", "居家托养"


class PlacementQuerySet(PeriodQuerySet):
    street_field = "person__street"


class Placement(EndAfterStartMixin, models.Model):
    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.PROTECT, related_name="placements"
    )
    home = models.ForeignKey(
        CareHome, verbose_name="托养机构", on_delete=models.PROTECT, related_name="placements"
    )
    mode = models.CharField("托养方式", max_length=12, choices=PlacementMode.choices)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="托养服务变更记录")
    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "托养服务"
        verbose_name_plural = "托养服务"
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "home", "start_date"], name="placement_natural_key"),
            end_after_start_constraint("placement"),
        ]

    def __str__(self) -> str:
        return f"{self.home} {self.get_mode_display()}"


class AuxProjectQuerySet(PeriodQuerySet):
    street_field = "home__street"


class AuxProject(EndAfterStartMixin, models.Model):
    home = models.ForeignKey(
        CareHome, verbose_name="托养机构", on_delete=models.PROTECT, related_name="aux_projects"
    )
    name = models.CharField("项目名称", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    participants = models.PositiveIntegerField("参与人数", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="辅助性就业项目变更记录")
    objects = AuxProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "辅助性就业项目"
        verbose_name_plural = "辅助性就业项目"
        ordering = ["home", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["home", "name"], name="auxproject_natural_key"),
            end_after_start_constraint("auxproject"),
        ]

    def __str__(self) -> str:
        return self.name
