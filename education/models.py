"""教育助学: aid records of disabled students (学前 to 大学) and 送教上门 visits.

Two person records, each scoped by the person's street and community like rehab's services:

- `EducationAid` — one aid given to a student: stage, school, kind (助学补贴, 奖励, 送教上门, 其他),
  date and amount in 元 (required except for 送教上门, which is a service, not money).
- `HomeTeachingVisit` — one 送教上门 visit (date, teacher, content) to a child who cannot attend
  school. A visit is a person record of its own, not a child row of a 送教上门 aid record: visits
  are entered one by one through the year (often by a different clerk than the one who records the
  year's 送教上门 arrangement), imported and counted on their own, and a child may be visited before
  any aid record exists. Either an aid of kind 送教上门 or a visit dated in a year counts as
  "送教上门 this year" for the gap list (education/gaps.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.constraints import NEGATIVE_AMOUNT_MESSAGE, natural_key, not_negative
from core.date_bounds import validate_not_after_today
from core.models import ChineseNames, yuan_field
from core.periods import DatedQuerySet
from registry.models import PersonRecord, PersonRecordQuerySet, person_field

TEACHER_REQUIRED_MESSAGE = "请填写送教教师"
AMOUNT_REQUIRED_MESSAGE = "助学补贴、奖励和其他资助必须填写金额（送教上门可不填）"


class Stage(models.TextChoices):
    PRESCHOOL = "preschool", "学前"
    COMPULSORY = "compulsory", "义务教育"
    HIGH_SCHOOL = "high_school", "高中/中职"
    UNIVERSITY = "university", "大学"


class AidKind(models.TextChoices):
    GRANT = "grant", "助学补贴"
    AWARD = "award", "奖励"
    HOME_TEACHING = "home_teaching", "送教上门"
    OTHER = "other", "其他"


class EducationAidQuerySet(PersonRecordQuerySet, DatedQuerySet):
    date_field = "aid_date"

    def home_teaching(self):
        return self.filter(kind=AidKind.HOME_TEACHING)


class EducationAid(PersonRecord):
    person = person_field("education_aids")
    stage = models.CharField("学段", max_length=16, choices=Stage.choices)
    school = models.CharField("学校", max_length=100, blank=True)
    kind = models.CharField("资助类型", max_length=16, choices=AidKind.choices)
    aid_date = models.DateField("日期", validators=[validate_not_after_today])
    amount = yuan_field("金额（元）", optional=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="教育助学变更记录")
    objects = EducationAidQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "教育助学"
        ordering = ["-aid_date", "id"]
        constraints = [
            natural_key(
                "education_aid",
                "person",
                "kind",
                "aid_date",
                message="该人员同一天已有同一类型的教育助学记录",
            ),
            not_negative(
                "amount",
                name="education_aid_amount_not_negative",
                message=NEGATIVE_AMOUNT_MESSAGE,
                nullable=True,
            ),
            models.CheckConstraint(
                condition=Q(kind=AidKind.HOME_TEACHING) | Q(amount__isnull=False),
                name="education_aid_amount_required",
                violation_error_message=AMOUNT_REQUIRED_MESSAGE,
            ),
        ]
        indexes = [
            # the newest-first list pages through this index; figures and the gap list filter by date
            # (date, id): the list's order (-aid_date, -id) read backwards, ids without the table
            models.Index(fields=["aid_date", "id"], name="education_aid_date"),
            models.Index(fields=["kind", "aid_date"], name="education_aid_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.aid_date:%Y-%m-%d}"

    def clean(self) -> None:
        self.school = (self.school or "").strip()
        self.notes = (self.notes or "").strip()
        check_amount(self.kind, self.amount)


def check_amount(kind: str | None, amount) -> None:
    """The amount's rules, next to the field: not negative; required unless 送教上门."""
    if amount is not None and amount < 0:
        raise ValidationError({"amount": NEGATIVE_AMOUNT_MESSAGE})
    if amount is None and kind and kind != AidKind.HOME_TEACHING:
        raise ValidationError({"amount": AMOUNT_REQUIRED_MESSAGE})


class HomeTeachingVisitQuerySet(PersonRecordQuerySet, DatedQuerySet):
    date_field = "visit_date"


class HomeTeachingVisit(PersonRecord):
    person = person_field("home_teaching_visits")
    visit_date = models.DateField("送教日期", validators=[validate_not_after_today])
    teacher = models.CharField("送教教师", max_length=50)
    content = models.CharField("送教内容", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="送教上门变更记录")
    objects = HomeTeachingVisitQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "送教上门"
        ordering = ["-visit_date", "id"]
        constraints = [
            natural_key(
                "home_teaching_visit",
                "person",
                "visit_date",
                "teacher",
                message="该人员同一天已有该教师的送教上门记录",
            ),
            models.CheckConstraint(
                condition=~Q(teacher=""),
                name="home_teaching_visit_teacher_required",
                violation_error_message=TEACHER_REQUIRED_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["visit_date", "id"], name="home_teaching_visit_date")]

    def __str__(self) -> str:
        return f"送教上门 {self.visit_date:%Y-%m-%d}"

    def clean(self) -> None:
        self.teacher = (self.teacher or "").strip()
        self.content = (self.content or "").strip()
        if not self.teacher:
            raise ValidationError({"teacher": TEACHER_REQUIRED_MESSAGE})
