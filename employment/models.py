"""职业技能培训, 就业登记 and 高校残疾人毕业生."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from simple_history.models import HistoricalRecords

from core.constraints import at_least, natural_key
from core.date_bounds import validate_not_after_today, validate_within_planning
from core.models import ChineseNames
from core.periods import (
    DatedQuerySet,
    PeriodQuerySet,
    today,
)
from registry.models import PeriodRecord, PersonRecord, PersonRecordQuerySet, person_field


class TrainingKind(models.TextChoices):
    PROFESSIONAL_QUALITY = "quality", "职业素质培训"
    EMPLOYMENT_SKILLS = "employment", "就业技能培训"
    JOB_SKILLS = "job", "岗位技能培训"
    ENTREPRENEURSHIP = "entrepreneurship", "创业培训"


class TrainingQuerySet(PersonRecordQuerySet, DatedQuerySet):
    """Training is dated by its start date (indicators.md: "dated in Y")."""

    date_field = "start_date"

    def dated_between(self, first: dt.date, last: dt.date) -> TrainingQuerySet:
        """Started on a day in [first, last] (K02 counts 1 January 2021 .. R(Y))."""
        return self.filter(start_date__gte=first, start_date__lte=last)


class Training(PeriodRecord):
    name = models.CharField("培训项目", max_length=100)
    kind = models.CharField("培训类型", max_length=20, choices=TrainingKind.choices)
    start_date = models.DateField("开始日期", validators=[validate_within_planning])
    end_date = models.DateField("结束日期", null=True, blank=True, validators=[validate_within_planning])
    completed = models.BooleanField("是否结业", default=False)

    history = HistoricalRecords(verbose_name="培训变更记录")
    objects = TrainingQuerySet.as_manager()

    class Meta(ChineseNames, PeriodRecord.Meta):
        verbose_name = "职业技能培训"
        constraints = [
            natural_key(
                "training", "person", "name", "start_date", message="该人员已有同名、同一开始日期的培训记录"
            ),
            *PeriodRecord.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start_date:%Y-%m-%d}"


class EmploymentForm(models.TextChoices):
    CONCENTRATED = "concentrated", "集中就业"
    QUOTA = "quota", "按比例就业"
    SELF_EMPLOYED = "self_employed", "个体就业"
    FLEXIBLE = "flexible", "灵活就业"
    AUXILIARY = "auxiliary", "辅助性就业"
    PUBLIC_WELFARE = "public_welfare", "公益性岗位"
    ENTREPRENEUR = "entrepreneur", "自主创业"


class EmploymentQuerySet(PersonRecordQuerySet, PeriodQuerySet):
    """Start and optional end day: `active_in(Y)`, `active_on(date)` from PeriodQuerySet."""

    def ended(self) -> EmploymentQuerySet:
        """已结束: the end day lies before today."""
        return self.filter(end_date__lt=today())


class Employment(PeriodRecord):
    form = models.CharField("就业形式", max_length=20, choices=EmploymentForm.choices)
    employer = models.CharField("用人单位", max_length=100, blank=True)
    start_date = models.DateField("开始日期", validators=[validate_not_after_today])
    end_date = models.DateField("结束日期", null=True, blank=True, validators=[validate_within_planning])

    history = HistoricalRecords(verbose_name="就业变更记录")
    objects = EmploymentQuerySet.as_manager()

    class Meta(ChineseNames, PeriodRecord.Meta):
        verbose_name = "就业登记"
        constraints = [
            natural_key(
                "employment",
                "person",
                "form",
                "start_date",
                message="该人员已有同一就业形式、同一开始日期的就业登记",
            ),
            *PeriodRecord.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.start_date:%Y-%m-%d}"


class Degree(models.TextChoices):
    COLLEGE = "college", "专科"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


class GraduateQuerySet(PersonRecordQuerySet):
    def of_year(self, year: int) -> GraduateQuerySet:
        return self.filter(graduation_year=year)

    def employed_on(self, date: dt.date) -> GraduateQuerySet:
        """Graduates whose person has an employment record active on `date` (K11 uses R(Y))."""
        return self.filter(Exists(Employment.objects.filter(person=OuterRef("person_id")).active_on(date)))

    def with_employment_status(self) -> GraduateQuerySet:
        """Annotate `employed`: an employment record active on R(graduation year).

        R(Y) is 31 December of Y, or today for this year's graduates (indicators.md, K11). The
        comparison with 31 December is written on the year, month and day parts so that one query
        serves graduates of every year, on PostgreSQL and SQLite alike.
        """
        this_year = today().year
        employment = Employment.objects.filter(person=OuterRef("person_id"))
        on_31_december = employment.filter(start_date__year__lte=OuterRef("graduation_year")).filter(
            Q(end_date__isnull=True)
            | Q(end_date__year__gt=OuterRef("graduation_year"))
            | Q(end_date__year=OuterRef("graduation_year"), end_date__month=12, end_date__day=31)
        )
        return self.annotate(
            employed=Case(
                When(graduation_year=this_year, then=Exists(employment.active_on(today()))),
                When(graduation_year__gt=this_year, then=Value(False)),
                default=Exists(on_31_december),
                output_field=models.BooleanField(),
            )
        )


class Graduate(PersonRecord):
    # its own name for the person's records (person.graduations)
    person = person_field("graduations")
    graduation_year = models.PositiveSmallIntegerField("毕业年份")
    school = models.CharField("毕业院校", max_length=100, blank=True)
    degree = models.CharField("学历", max_length=10, choices=Degree.choices, blank=True)

    history = HistoricalRecords(verbose_name="毕业生变更记录")
    objects = GraduateQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "高校残疾人毕业生"
        ordering = ["-graduation_year", "id"]
        constraints = [
            natural_key(
                "graduate", "person", "graduation_year", message="该人员已有同一毕业年份的毕业生记录"
            ),
            at_least(
                "graduation_year", 1950, name="graduate_year_plausible", message="毕业年份不能早于1950年"
            ),
        ]
        indexes = [models.Index(fields=["graduation_year"], name="graduate_year")]

    def __str__(self) -> str:
        return f"{self.graduation_year}届"

    def clean(self) -> None:
        if self.graduation_year is not None and self.graduation_year > today().year:
            raise ValidationError({"graduation_year": "毕业年份不能晚于今年"})
        if self.graduation_year is not None and self.graduation_year < 1950:
            raise ValidationError({"graduation_year": "毕业年份不能早于1950年"})
