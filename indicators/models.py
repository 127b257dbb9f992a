"""The plan's 12 indicators: definitions as data (names, targets), and computed snapshots.

How each indicator is computed lives in `indicators.engine`; this module holds what staff edit
(targets, reference growth rates) and what a run stores (IndicatorRun, IndicatorValue, SurveyCoverage).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.constraints import not_negative, unique
from core.models import ChineseNames


class Attribute(models.TextChoices):
    BINDING = "binding", "约束性"
    EXPECTED = "expected", "预期性"


class Indicator(models.Model):
    code = models.CharField("编号", max_length=3, unique=True)
    name = models.CharField("指标名称", max_length=100)
    attribute = models.CharField("属性", max_length=10, choices=Attribute.choices)
    baseline = models.CharField("2020年基期值（规划）", max_length=20, default="—")
    unit = models.CharField("单位", max_length=10, default="%")
    # The plan's target for years that have no Target row of their own (e.g. years after 2025).
    standing_target = models.DecimalField("常设目标值", max_digits=9, decimal_places=2, null=True, blank=True)
    target_text = models.CharField("目标说明", max_length=100, blank=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords(verbose_name="指标变更记录")

    class Meta(ChineseNames):
        verbose_name = "规划指标"
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Target(models.Model):
    """The target of one indicator for one year (K01's comes from ReferenceGrowth instead)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("目标值", max_digits=9, decimal_places=2)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="目标变更记录")

    class Meta(ChineseNames):
        verbose_name = "指标目标"
        ordering = ["indicator__sort", "year"]
        constraints = [
            unique("indicator", "year", name="target_one_per_indicator_year"),
            not_negative("value", name="target_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2020, year__lte=2100), name="target_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}年目标 {self.value}"


class GrowthSeries(models.TextChoices):
    GDP = "gdp", "地区生产总值增速"
    DISPOSABLE_INCOME = "income", "居民人均可支配收入增速"


class ReferenceGrowth(models.Model):
    """K01's target: the reference economic growth rate of a year, in percent."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    series = models.CharField("参照指标", max_length=10, choices=GrowthSeries.choices)
    rate = models.DecimalField("增速（%）", max_digits=6, decimal_places=2)
    is_example = models.BooleanField(
        "示例数据",
        default=False,
        help_text="演示数据写入的示例增速，并非统计部门公布的数值；工作人员录入或修改后即不再是示例。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="参照增速变更记录")

    class Meta(ChineseNames):
        verbose_name = "参照经济增速"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2020, year__lte=2100), name="refgrowth_year_range"),
            models.CheckConstraint(condition=Q(rate__gte=-100, rate__lte=100), name="refgrowth_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_series_display()} {self.rate}%"


class RunStatus(models.TextChoices):
    RUNNING = "running", "计算中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"


class RunTrigger(models.TextChoices):
    NIGHTLY = "nightly", "夜间自动"
    MANUAL = "manual", "手动"
    COMMAND = "command", "命令行"
    CHANGE = "change", "数据变更后自动"


class IndicatorRun(models.Model):
    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField("错误信息", blank=True)
    years = models.JSONField("计算年度", default=list)
    trigger = models.CharField("触发方式", max_length=10, choices=RunTrigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="触发人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration = models.DurationField("耗时", null=True, blank=True)
    query_count = models.PositiveIntegerField("查询次数", null=True, blank=True)

    class Meta(ChineseNames):
        verbose_name = "计算批次"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "-finished_at"], name="indicatorrun_status_finished")]

    def __str__(self) -> str:
        return f"计算批次 #{self.pk}"

    @property
    def who(self) -> str:
        if self.triggered_by_id:
            user = self.triggered_by
            return user.get_full_name() or user.username
        return self.get_trigger_display()


def _of_run(related_name: str) -> models.ForeignKey:
    """The run a stored figure belongs to, deleted with it."""
    return models.ForeignKey(
        IndicatorRun, verbose_name="计算批次", on_delete=models.CASCADE, related_name=related_name
    )


def _street_or_district(**kwargs) -> models.ForeignKey:
    """The street a stored figure is for; empty for the whole district."""
    return models.ForeignKey(
        "core.Street",
        verbose_name="街道",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class IndicatorValue(models.Model):
    run = _of_run("values")
    code = models.CharField("指标", max_length=3)
    year = models.PositiveSmallIntegerField("年度")
    street = _street_or_district(help_text="为空表示全区")
    numerator = models.FloatField("分子", null=True, blank=True)
    denominator = models.FloatField("分母", null=True, blank=True)
    value = models.FloatField("指标值", null=True, blank=True)
    target = models.FloatField("目标值", null=True, blank=True)
    met = models.BooleanField("是否达标", null=True, blank=True)
    extra = models.JSONField("附加数据", default=dict, blank=True)

    class Meta(ChineseNames):
        verbose_name = "指标值"
        ordering = ["run", "code", "year", "street__order"]
        constraints = [
            unique("run", "code", "year", "street", name="indicatorvalue_unique"),
        ]
        indexes = [models.Index(fields=["run", "year"], name="indicatorvalue_run_year")]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.street or '全区'}"


class SurveyCoverage(models.Model):
    """Surveyed persons / P(Y), stored with the run so the dashboard never counts persons live."""

    run = _of_run("coverage")
    year = models.PositiveSmallIntegerField("年度")
    street = _street_or_district()
    surveyed = models.PositiveIntegerField("已调查人数")
    population = models.PositiveIntegerField("持证人数")

    class Meta(ChineseNames):
        verbose_name = "需求调查覆盖率"
        ordering = ["run", "year", "street__order"]
        constraints = [
            unique("run", "year", "street", name="surveycoverage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.street or '全区'} {self.surveyed}/{self.population}"

    @property
    def rate(self) -> float | None:
        return self.surveyed * 100 / self.population if self.population else None


class StaleMark(models.Model):
    """A change that makes stored figures stale: the years from `from_year` to `to_year` (empty:
    every later year) need a recompute. Written in the transaction of the change itself, so a
    rolled-back change leaves no mark; insert-only, so concurrent changes never wait on each other.
    A run deletes the marks it read before it started once it has covered their years, and narrows
    one it covered in part to the years still stale (indicators.freshness); no change writes to an
    existing mark."""

    from_year = models.PositiveSmallIntegerField("起始年度")
    to_year = models.PositiveSmallIntegerField(
        "截止年度", null=True, blank=True, help_text="为空表示至今各年度"
    )
    source = models.CharField("变更来源", max_length=60)
    marked_at = models.DateTimeField("变更时间", auto_now_add=True)

    class Meta(ChineseNames):
        verbose_name = "待重新计算标记"
        ordering = ["pk"]

    def __str__(self) -> str:
        end = f"{self.to_year}年" if self.to_year is not None else "至今"
        return f"{self.source}：{self.from_year}年—{end}"

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)
