"""职业技能培训, 就业登记 and 高校残疾人毕业生."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from registry.models import Person
from registry.periods import DatedQuerySet, EndAfterStartMixin, PeriodQuerySet, end_after_start_constraint
from registry.scoping import StreetScopedQuerySet


class TrainingKind(models.TextChoices):
    PROFESSIONAL_QUALITY = "quality", "职业素质培训"
    EMPLOYMENT_SKILLS = "employment", "就业技能培训"
    JOB_SKILLS = "job", "岗位技能培训"
    ENTREPRENEURSHIP = "entrepreneurship", "创业培训"


class TrainingQuerySet(DatedQuerySet):
    date_field = "start_date"


class Training(EndAfterStartMixin, models.Model):
    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.PROTECT, related_name="trainings"
    )
    name = models.CharField("培训项目", max_length=100)
    kind = models.CharField("培训类型", max_length=20, choices=TrainingKind.choices)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    completed = models.BooleanField("是否结业", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="培训变更记录")
    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = "职业技能培训"
        verbose_name_plural = "职业技能培训"
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name", "start_date"], name="training_natural_key"),
            end_after_start_constraint("training"),
        ]
        indexes = [models.Index(fields=["start_date"], name="training_start")]

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


class EmploymentQuerySet(PeriodQuerySet):
    pass


class Employment(EndAfterStartMixin, models.Model):
    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.PROTECT, related_name="employments"
    )
    form = models.CharField("就业形式", max_length=20, choices=EmploymentForm.choices)
    employer = models.CharField("用人单位", max_length=100, blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="就业变更记录")
    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = "就业登记"
        verbose_name_plural = "就业登记"
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "form", "start_date"], name="employment_natural_key"),
            end_after_start_constraint("employment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.start_date:%Y-%m-%d}"


class Degree(models.TextChoices):
    COLLEGE = "college", "专科"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


class GraduateQuerySet(StreetScopedQuerySet):
    pass


class Graduate(models.Model):
    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.PROTECT, related_name="graduations"
    )
    graduation_year = models.PositiveSmallIntegerField("毕业年份")
    school = models.CharField("毕业院校", max_length=100, blank=True)
    degree = models.CharField("学历", max_length=10, choices=Degree.choices, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="毕业生变更记录")
    objects = GraduateQuerySet.as_manager()

    class Meta:
        verbose_name = "高校残疾人毕业生"
        verbose_name_plural = "高校残疾人毕业生"
        ordering = ["-graduation_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "graduation_year"], name="graduate_natural_key"),
            models.CheckConstraint(condition=Q(graduation_year__gte=1950), name="graduate_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.graduation_year}届"
