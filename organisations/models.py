"""助残社会组织 (organisations), their yearly reviews, 助残志愿者队伍 (volunteer teams) and the
activities of both.

These records carry no person: they are scoped by street only (`street_field = "street"`), and
closed to community workers (`community_field = None`, core.roles.COMMUNITY_WORKER_FORBIDDEN_DOMAINS).
An activity keeps a copy of its organisation's or team's street (set by the services from the
owner, never typed), so that its scope and the per-street figures need no join.

"Active in year Y" (the plan check "每个街道至少有1个助残社会组织和1支助残志愿者队伍"):
an organisation (a team) is active in Y when it was registered (founded) on or before 31 December
of Y, was not dissolved before 1 January of Y, and either was registered (founded) in Y or has at
least one activity dated in Y. A newly registered team therefore counts at once; an older one needs
an activity of the year. `active_in_q` below is the one definition: lists, figures and the
dashboard's plan check all read it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from core.constraints import not_before, not_negative, unique
from core.date_bounds import validate_not_after_today, validate_within_planning
from core.models import ChineseNames, TimestampedModel, protected_fk, street_fk
from core.periods import today
from core.scoping import StreetScopedQuerySet

TEAM_STREET_REQUIRED = "志愿者队伍必须填写所属街道"
ORGANISATION_STREET_REQUIRED = "助残社会组织必须填写所属街道"
ACTIVITY_OWNER_MESSAGE = "活动必须属于一个助残社会组织或一支志愿者队伍（二者选其一）"
MEMBERS_NEGATIVE = "队员人数不能为负数"
PARTICIPANTS_NEGATIVE = "参与人数不能为负数"
SERVED_NEGATIVE = "服务人次不能为负数"


class OrganisationKind(models.TextChoices):
    SOCIAL = "social", "社会组织"
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", "民办非企业"
    ASSOCIATION = "association", "专门协会"


class ReviewResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASICALLY_QUALIFIED = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


def _when_empty(message: str) -> dict[str, str]:
    """The error messages of a required field left empty, in a form (blank) and in the model (null)."""
    return {"null": message, "blank": message}


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def exists_in_q(year: int, start_field: str, end_field: str = "dissolved_on") -> Q:
    """Registered (founded) on or before the end of Y and not dissolved before Y starts."""
    first, last = year_bounds(year)
    return Q(**{f"{start_field}__lte": last}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": first})
    )


def active_in_q(year: int, start_field: str, owner_field: str) -> Q:
    """The one definition of "active in Y" (module docstring). `owner_field` is the activity's
    foreign key to the model ("organisation" or "team")."""
    first, last = year_bounds(year)
    activity = Activity.objects.filter(**{owner_field: OuterRef("pk")}, date__gte=first, date__lte=last)
    return exists_in_q(year, start_field) & (Q(**{f"{start_field}__gte": first}) | Q(Exists(activity)))


class DissolvableQuerySet(StreetScopedQuerySet):
    """Organisations and teams, scoped by their own street; "in year Y" reads the model's `start_field`
    and `activity_field` (the activity's foreign key to it)."""

    street_field = "street"

    def active_in(self, year: int) -> DissolvableQuerySet:
        return self.filter(active_in_q(year, self.model.start_field, self.model.activity_field))

    def existing_in(self, year: int) -> DissolvableQuerySet:
        return self.filter(exists_in_q(year, self.model.start_field))


class OrganisationQuerySet(DissolvableQuerySet):
    def demonstration(self) -> OrganisationQuerySet:
        return self.filter(is_demonstration=True)


class DissolvedAfterStartMixin:
    """`dissolved_on` not before the registration (founding) date, which `start_field` names; the message
    names both by their fields' labels (注销日期不能早于登记日期)."""

    start_field = ""
    activity_field = ""

    def clean(self) -> None:
        start = getattr(self, self.start_field)
        if start and self.dissolved_on and self.dissolved_on < start:
            end_label = self._meta.get_field("dissolved_on").verbose_name
            start_label = self._meta.get_field(self.start_field).verbose_name
            raise ValidationError({"dissolved_on": f"{end_label}不能早于{start_label}"})

    def is_active_on(self, date: dt.date) -> bool:
        start = getattr(self, self.start_field)
        return start <= date and (self.dissolved_on is None or self.dissolved_on >= date)

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None and self.dissolved_on < today()


class Organisation(DissolvedAfterStartMixin, TimestampedModel):
    start_field = "registered_on"
    activity_field = "organisation"

    name = models.CharField(
        "组织名称", max_length=100, unique=True, error_messages={"unique": "已有同名的助残社会组织"}
    )
    kind = models.CharField("组织类型", max_length=24, choices=OrganisationKind.choices)
    street = street_fk("organisations", error_messages=_when_empty(ORGANISATION_STREET_REQUIRED))
    registered_on = models.DateField("登记日期", validators=[validate_not_after_today])
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_demonstration = models.BooleanField("示范性助残社会组织", default=False)
    dissolved_on = models.DateField("注销日期", null=True, blank=True, validators=[validate_within_planning])

    history = HistoricalRecords(verbose_name="助残社会组织变更记录")
    objects = OrganisationQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "助残社会组织"
        ordering = ["street__order", "name"]
        constraints = [
            not_before(
                "dissolved_on",
                "registered_on",
                name="organisation_dissolved_after_registered",
                message="注销日期不能早于登记日期",
            ),
        ]
        indexes = [
            models.Index(fields=["street", "registered_on"], name="organisation_street_reg"),
            models.Index(fields=["is_demonstration", "registered_on"], name="organisation_demo_reg"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_review_label(self) -> str:
        """The result annotated by selectors.organisation_list, as its label."""
        value = getattr(self, "last_review_result", None)
        return ReviewResult(value).label if value else ""


class OrganisationReviewQuerySet(StreetScopedQuerySet):
    street_field = "organisation__street"


class OrganisationReview(TimestampedModel):
    """年度评估: one result per organisation and year."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="助残社会组织", on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveIntegerField(
        "评估年度",
        validators=[
            MinValueValidator(2000, "评估年度不能早于2000年"),
            MaxValueValidator(2100, "评估年度不能晚于2100年"),
        ],
    )
    result = models.CharField("评估结果", max_length=12, choices=ReviewResult.choices)
    note = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="年度评估变更记录")
    objects = OrganisationReviewQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "年度评估"
        ordering = ["organisation", "-year"]
        constraints = [
            unique(
                "organisation",
                "year",
                name="organisationreview_one_per_year",
                message="该组织该年度已有评估结果",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年 {self.get_result_display()}"

    def clean(self) -> None:
        if self.year and self.year > today().year:
            raise ValidationError({"year": "评估年度不能晚于今年"})
        if self.year and self.organisation_id and self.year < self.organisation.registered_on.year:
            raise ValidationError(
                {"year": f"评估年度早于该组织的登记年度（{self.organisation.registered_on.year}年）"}
            )


class VolunteerTeam(DissolvedAfterStartMixin, TimestampedModel):
    start_field = "founded_on"
    activity_field = "team"

    name = models.CharField(
        "队伍名称", max_length=100, unique=True, error_messages={"unique": "已有同名的志愿者队伍"}
    )
    street = street_fk("volunteer_teams", error_messages=_when_empty(TEAM_STREET_REQUIRED))
    members = models.PositiveIntegerField(
        "队员人数", default=0, validators=[MinValueValidator(0, MEMBERS_NEGATIVE)]
    )
    leader = models.CharField("负责人", max_length=50, blank=True)
    leader_phone = models.CharField("联系电话", max_length=30, blank=True)
    founded_on = models.DateField("成立日期", validators=[validate_not_after_today])
    dissolved_on = models.DateField("解散日期", null=True, blank=True, validators=[validate_within_planning])

    history = HistoricalRecords(verbose_name="志愿者队伍变更记录")
    objects = DissolvableQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "助残志愿者队伍"
        ordering = ["street__order", "name"]
        constraints = [
            not_before(
                "dissolved_on",
                "founded_on",
                name="volunteerteam_dissolved_after_founded",
                message="解散日期不能早于成立日期",
            ),
            not_negative("members", name="volunteerteam_members_not_negative", message=MEMBERS_NEGATIVE),
        ]
        indexes = [models.Index(fields=["street", "founded_on"], name="volunteerteam_street_founded")]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(StreetScopedQuerySet):
    street_field = "street"

    def dated_in(self, year: int) -> ActivityQuerySet:
        first, last = year_bounds(year)
        return self.filter(date__gte=first, date__lte=last)


class Activity(TimestampedModel):
    """An activity of an organisation or of a team (exactly one of the two)."""

    organisation = protected_fk(Organisation, "助残社会组织", "activities", optional=True)
    team = protected_fk(VolunteerTeam, "志愿者队伍", "activities", optional=True)
    # The owner's street, copied by the services (scope and figures without a join).
    street = street_fk(editable=False)
    date = models.DateField("活动日期", validators=[validate_not_after_today])
    title = models.CharField("活动名称", max_length=100)
    participants = models.PositiveIntegerField(
        "参与人数", default=0, validators=[MinValueValidator(0, PARTICIPANTS_NEGATIVE)]
    )
    persons_served = models.PositiveIntegerField(
        "服务残疾人人次", default=0, validators=[MinValueValidator(0, SERVED_NEGATIVE)]
    )

    history = HistoricalRecords(verbose_name="助残活动变更记录")
    objects = ActivityQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "助残活动"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(team__isnull=True))
                | (Q(organisation__isnull=True) & Q(team__isnull=False)),
                name="activity_one_owner",
                violation_error_message=ACTIVITY_OWNER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=0) & Q(persons_served__gte=0),
                name="activity_counts_not_negative",
                violation_error_message="参与人数和服务人次不能为负数",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"], name="activity_org_date"),
            models.Index(fields=["team", "date"], name="activity_team_date"),
            models.Index(fields=["street", "date"], name="activity_street_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Organisation | VolunteerTeam | None:
        return self.organisation or self.team

    def clean(self) -> None:
        if (self.organisation_id is None) == (self.team_id is None):
            raise ValidationError(ACTIVITY_OWNER_MESSAGE)
