"""托养机构 (care homes, 残疾人之家), 托养服务 (placements) and 辅助性就业项目.

Scoping: a home belongs to its own street; a placement to its person's street (a clerk may place
a person of his street in a home of any street: district-level homes and neighbouring streets'
残疾人之家 serve everyone); a project to its home's street.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core.constraints import natural_key, not_before
from core.date_bounds import validate_not_after_today, validate_within_planning
from core.models import ChineseNames, TimestampedModel, street_fk
from core.periods import (
    EndAfterStartMixin,
    PeriodQuerySet,
    active_in_q,
    end_after_start_constraint,
    today,
)
from core.scoping import StreetScopedQuerySet
from registry.models import PeriodRecord


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

    def operating_on(self, date: dt.date) -> CareHomeQuerySet:
        """Opened on or before `date` and not closed on or before it."""
        return self.filter(operating_on_q(date))

    def not_operating_on(self, date: dt.date) -> CareHomeQuerySet:
        return self.exclude(operating_on_q(date))

    def disabled_persons_homes(self) -> CareHomeQuerySet:
        return self.filter(is_disabled_home=True)

    def with_project_active_in(self, year: int) -> CareHomeQuerySet:
        """Annotate `has_project`: at least one auxiliary employment project active in Y (K12)."""
        projects = AuxProject.objects.filter(home=OuterRef("pk")).filter(
            active_in_q(year, "start_date", "end_date")
        )
        return self.annotate(has_project=Exists(projects))

    def with_current_counts(self, on: dt.date | None = None) -> CareHomeQuerySet:
        """Annotate `placements_now` and `projects_now`: records active on `on` (default today).

        Counts are aggregates over every street's persons (no names), so any viewer may see them.
        """
        on = on or today()
        return self.annotate(
            placements_now=_count_active(Placement.objects.all(), on),
            projects_now=_count_active(AuxProject.objects.all(), on),
        )


def operating_on_q(date: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": date}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": date})
    )


def _count_active(queryset, on: dt.date) -> Coalesce:
    counted = (
        queryset.filter(home=OuterRef("pk"))
        .active_on(on)
        .order_by()
        .values("home")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class CareHome(TimestampedModel):
    name = models.CharField("机构名称", max_length=100, unique=True)
    level = models.CharField("机构级别", max_length=12, choices=HomeLevel.choices)
    street = street_fk("care_homes")
    is_disabled_home = models.BooleanField("残疾人之家", default=False)
    rating = models.CharField("评级", max_length=2, choices=Rating.choices, blank=True)
    opened_on = models.DateField("启用日期", validators=[validate_not_after_today])
    closed_on = models.DateField("停用日期", null=True, blank=True, validators=[validate_within_planning])

    history = HistoricalRecords(verbose_name="托养机构变更记录")
    objects = CareHomeQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "托养机构"
        ordering = ["street__order", "name"]
        constraints = [
            not_before(
                "closed_on",
                "opened_on",
                name="carehome_closed_after_open",
                message="停用日期不能早于启用日期",
            ),
        ]
        indexes = [models.Index(fields=["is_disabled_home", "opened_on"], name="carehome_kind_opened")]

    def __str__(self) -> str:
        return self.name

    def is_operating_on(self, date: dt.date) -> bool:
        """The Python twin of CareHomeQuerySet.operating_on: the closing day is not operating."""
        return self.opened_on <= date and (self.closed_on is None or self.closed_on > date)

    @property
    def is_operating(self) -> bool:
        return self.is_operating_on(today())

    def clean(self) -> None:
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "停用日期不能早于启用日期"})


class PlacementMode(models.TextChoices):
    RESIDENTIAL = "residential", "寄宿托养"
    DAY_CARE = "day_care", "日间照料"
    HOME_CARE = "home_care", "居家托养"


class Placement(PeriodRecord):
    home = models.ForeignKey(
        CareHome, verbose_name="托养机构", on_delete=models.PROTECT, related_name="placements"
    )
    mode = models.CharField("托养方式", max_length=12, choices=PlacementMode.choices)
    start_date = models.DateField("开始日期", validators=[validate_not_after_today])
    end_date = models.DateField("结束日期", null=True, blank=True, validators=[validate_within_planning])

    history = HistoricalRecords(verbose_name="托养服务变更记录")
    # scoped by the person's street (PeriodQuerySet's default), not the home's: a home serves persons of
    # every street
    objects = PeriodQuerySet.as_manager()

    class Meta(ChineseNames, PeriodRecord.Meta):
        verbose_name = "托养服务"
        constraints = [
            natural_key(
                "placement",
                "person",
                "home",
                "start_date",
                message="该人员已有同一托养机构、同一开始日期的托养服务记录",
            ),
            *PeriodRecord.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.home} {self.get_mode_display()}"


class AuxProjectQuerySet(PeriodQuerySet):
    street_field = "home__street"


class AuxProject(EndAfterStartMixin, TimestampedModel):
    home = models.ForeignKey(
        CareHome, verbose_name="托养机构", on_delete=models.PROTECT, related_name="aux_projects"
    )
    name = models.CharField("项目名称", max_length=100)
    start_date = models.DateField("开始日期", validators=[validate_within_planning])
    end_date = models.DateField("结束日期", null=True, blank=True, validators=[validate_within_planning])
    participants = models.PositiveIntegerField("参与人数", null=True, blank=True)

    history = HistoricalRecords(verbose_name="辅助性就业项目变更记录")
    objects = AuxProjectQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "辅助性就业项目"
        ordering = ["home", "-start_date"]
        constraints = [
            natural_key("auxproject", "home", "name", message="该托养机构已有同名的辅助性就业项目"),
            end_after_start_constraint("auxproject"),
        ]

    def __str__(self) -> str:
        return self.name
