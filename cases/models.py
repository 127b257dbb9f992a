"""信访与维权: petitions (来信, 来访, 网上信访), hotline items (12385, 12345, 96180) and the district
people's congress and CPPCC proposals (人大建议, 政协提案) the federation answers.

A case belongs to its street (a case may come from a relative or an organisation: the person is
optional). Its deadline comes from the source's `DeadlineRule` in working days (core.workdays:
Chinese holidays off, 调休 days on) unless the clerk enters one; proposals always carry their own.
A case is open (办理中) until `closed_on` (已办结); it is overdue while open after its deadline, and
closed on time when `closed_on <= deadline` (closing on the deadline day is on time).

Rules that hold on every door (form, API, import, admin) live in `clean()`, with the same Chinese
messages: closing needs a reply and an outcome; no deadline before receipt; a person of another
street is refused; an action after closing or before receipt is refused (CaseAction.clean()).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.constraints import not_before, unique
from core.date_bounds import validate_not_after_today, validate_within_planning
from core.models import ChineseNames, TimestampedModel, street_fk, user_field
from core.periods import today
from core.scoping import StreetScopedQuerySet
from registry.models import person_field

# The rules' messages: the same on the form, the API, the import and the admin.
CLOSE_NEEDS_REPLY = "办结须填写答复内容"
CLOSE_NEEDS_OUTCOME = "办结须选择办理结果"
DEADLINE_BEFORE_RECEIPT = "办理期限不能早于受理日期"
DEADLINE_REQUIRED = "人大建议、政协提案须填写办理期限（交办文件规定的日期）"
CLOSED_BEFORE_RECEIPT = "办结日期不能早于受理日期"
REPLIED_BEFORE_RECEIPT = "答复日期不能早于受理日期"
REPLIED_AFTER_CLOSING = "答复日期不能晚于办结日期"
PERSON_OF_OTHER_STREET = "所选持证残疾人不属于该街道，请核对所属街道"
WHO_IS_MISSING = "请选择持证残疾人或填写来件人姓名"
ACTION_AFTER_CLOSING = "该事项已办结，不能再添加办理记录"
ACTION_BEFORE_RECEIPT = "办理日期不能早于受理日期"
ACTION_BEFORE_LAST = "办结日期不能早于最后一条办理记录的日期"


class Source(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    HOTLINE_12385 = "12385", "12385"
    HOTLINE_12345 = "12345", "12345"
    HOTLINE_96180 = "96180", "96180"
    NPC_PROPOSAL = "npc", "人大建议"
    CPPCC_PROPOSAL = "cppcc", "政协提案"
    OTHER = "other", "其他"


# Proposals follow the date of their assignment letter: no rule, the deadline is entered.
PROPOSAL_SOURCES = (Source.NPC_PROPOSAL, Source.CPPCC_PROPOSAL)
RULE_SOURCES = tuple(s for s in Source if s not in PROPOSAL_SOURCES)
HOTLINE_SOURCES = (Source.HOTLINE_12385, Source.HOTLINE_12345, Source.HOTLINE_96180)
# The working days of a source whose DeadlineRule row is missing (migration 0002 seeds the same).
DEFAULT_WORKING_DAYS = {
    Source.LETTER: 15,
    Source.VISIT: 15,
    Source.ONLINE: 15,
    Source.HOTLINE_12385: 7,
    Source.HOTLINE_12345: 5,
    Source.HOTLINE_96180: 5,
    Source.OTHER: 15,
}


class CaseCategory(models.TextChoices):
    SUBSIDY = "subsidy", "补贴"
    REHAB = "rehab", "康复"
    EMPLOYMENT = "employment", "就业"
    ACCESSIBILITY = "accessibility", "无障碍"
    CARE = "care", "托养"
    EDUCATION = "education", "教育"
    LEGAL = "legal", "法律"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "已解决"
    PARTLY = "partly", "部分解决"
    EXPLAINED = "explained", "已解释说明"
    NOT_SUPPORTED = "not_supported", "诉求不予支持"
    REFERRED = "referred", "已转有关部门办理"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    UNRATED = "unrated", "未评价"


class Status(models.TextChoices):
    """Derived from `closed_on`, for filters and labels."""

    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


class Timeliness(models.TextChoices):
    """The list filter of 超期 / 临期 (see selectors.due_soon_until)."""

    OVERDUE = "overdue", "已超期（未办结）"
    DUE_SOON = "due_soon", "临期（3个工作日内到期）"
    ON_TIME = "on_time", "按期办结"
    LATE = "late", "超期办结"


class DeadlineRule(models.Model):
    """办理时限 of a source in working days, counted from the day after receipt. Edited by district
    staff (cases:deadline_rules, and the admin); a change applies to cases received afterwards
    (stored deadlines stay as they were computed)."""

    source = models.CharField(
        "来源", max_length=10, choices=[(s.value, s.label) for s in RULE_SOURCES], unique=True
    )
    working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    note = models.CharField("依据", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="办理时限变更记录")

    class Meta(ChineseNames):
        verbose_name = "办理时限"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=120),
                name="cases_rule_days_range",
                violation_error_message="办理时限应为1至120个工作日",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}：{self.working_days}个工作日"


class CaseQuerySet(StreetScopedQuerySet):
    street_field = "street"
    # A community worker sees his community's cases where a person is attached.
    community_field = "person__community"

    def open(self):
        return self.filter(closed_on__isnull=True)

    def closed(self):
        return self.filter(closed_on__isnull=False)

    def overdue_on(self, date: dt.date):
        """Open after the deadline day."""
        return self.filter(closed_on__isnull=True, deadline__lt=date)

    def due_between(self, first: dt.date, last: dt.date):
        """Open with a deadline from `first` to `last` (both included)."""
        return self.filter(closed_on__isnull=True, deadline__gte=first, deadline__lte=last)

    def on_time(self):
        return self.filter(closed_on__isnull=False, closed_on__lte=F("deadline"))

    def late(self):
        return self.filter(closed_on__isnull=False, closed_on__gt=F("deadline"))


class Case(TimestampedModel):
    number = models.CharField(
        "编号",
        max_length=40,
        blank=True,
        help_text="信访件编号或热线工单号；留空则自动编号",
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    received_on = models.DateField("受理日期", validators=[validate_not_after_today])
    person = person_field("cases", optional=True, help_text="来件人是持证残疾人本人或所涉人员时选择")
    petitioner = models.CharField(
        "来件人", max_length=100, blank=True, help_text="亲属、单位或组织来件时填写名称"
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    street = street_fk()
    subject = models.CharField("事由", max_length=200)
    category = models.CharField("类别", max_length=20, choices=CaseCategory.choices)
    content = models.TextField("诉求内容", blank=True)
    # blank: a form may leave it to the source's rule (services.apply_deadline); never NULL once saved
    deadline = models.DateField("办理期限", blank=True, validators=[validate_within_planning])
    deadline_from_rule = models.BooleanField("期限按规则计算", default=True, editable=False)
    assignee = models.CharField("承办人（单位）", max_length=100, blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True, validators=[validate_not_after_today])
    outcome = models.CharField("办理结果", max_length=20, choices=Outcome.choices, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=12, choices=Satisfaction.choices, default=Satisfaction.UNRATED
    )
    closed_on = models.DateField("办结日期", null=True, blank=True, validators=[validate_not_after_today])

    history = HistoricalRecords(verbose_name="信访事项变更记录")
    objects = CaseQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "信访事项"
        ordering = ["-received_on", "-id"]
        # The lists page through these in their own order (benchmarks/cases_bench.py): newest first,
        # per street; the overdue and due-soon lists through a partial index of the open cases.
        indexes = [
            models.Index(fields=["received_on", "id"], name="cases_received"),
            models.Index(fields=["street", "received_on", "id"], name="cases_street_received"),
            models.Index(
                fields=["deadline", "id"], name="cases_open_deadline", condition=Q(closed_on__isnull=True)
            ),
            models.Index(
                fields=["street", "deadline", "id"],
                name="cases_open_street_deadline",
                condition=Q(closed_on__isnull=True),
            ),
            # the figures read the year's cases from these alone (index-only scans, cases_bench.py)
            models.Index(
                fields=["closed_on", "received_on", "deadline", "street", "source", "category"],
                name="cases_figures_closed",
            ),
            models.Index(
                fields=["received_on", "street", "source", "category"], name="cases_figures_received"
            ),
        ]
        constraints = [
            # empty only within the transaction that numbers a new case by its id (services.case_create)
            unique("number", condition=~Q(number=""), name="cases_number_unique", message="该编号已存在"),
            not_before(
                "deadline",
                "received_on",
                name="cases_deadline_after_receipt",
                message=DEADLINE_BEFORE_RECEIPT,
                nullable=False,
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | (~Q(reply="") & ~Q(outcome="")),
                name="cases_closing_needs_reply_and_outcome",
                violation_error_message="办结须填写答复内容并选择办理结果",
            ),
            not_before(
                "closed_on", "received_on", name="cases_closed_after_receipt", message=CLOSED_BEFORE_RECEIPT
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '（未编号）'} {self.subject}"

    # -- derived ------------------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def status(self) -> str:
        return Status.CLOSED if self.is_closed else Status.OPEN

    def get_status_display(self) -> str:
        return Status(self.status).label

    @property
    def is_overdue(self) -> bool:
        """Open after its deadline day."""
        return self.closed_on is None and today() > self.deadline

    @property
    def closed_on_time(self) -> bool | None:
        """None while open; closing on the deadline day is on time."""
        return None if self.closed_on is None else self.closed_on <= self.deadline

    @property
    def who(self) -> str:
        """The name a list shows: the person's, or the petitioner's."""
        if self.person_id is not None:
            return self.person.name
        return self.petitioner

    # -- rules --------------------------------------------------------------------------------------

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("number", "petitioner", "phone", "subject", "assignee"):
            setattr(self, name, (getattr(self, name) or "").strip())
        self.reply = (self.reply or "").strip()
        if self.person_id is None and not self.petitioner:
            errors["petitioner"] = WHO_IS_MISSING
        if (
            self.person_id is not None
            and self.street_id is not None
            and self.person.street_id != self.street_id
        ):
            errors["person"] = PERSON_OF_OTHER_STREET
        if self.received_on is not None:
            if self.deadline is None:
                if self.source in PROPOSAL_SOURCES:
                    errors["deadline"] = DEADLINE_REQUIRED
            elif self.deadline < self.received_on:
                errors["deadline"] = DEADLINE_BEFORE_RECEIPT
            if self.closed_on is not None and self.closed_on < self.received_on:
                errors["closed_on"] = CLOSED_BEFORE_RECEIPT
            if self.replied_on is not None and self.replied_on < self.received_on:
                errors["replied_on"] = REPLIED_BEFORE_RECEIPT
        if self.closed_on is not None:
            if not self.reply:
                errors["reply"] = CLOSE_NEEDS_REPLY
            if not self.outcome:
                errors["outcome"] = CLOSE_NEEDS_OUTCOME
            if self.replied_on is not None and self.replied_on > self.closed_on and "closed_on" not in errors:
                errors["replied_on"] = REPLIED_AFTER_CLOSING
        if errors:
            raise ValidationError(errors)


class CaseActionQuerySet(StreetScopedQuerySet):
    street_field = "case__street"
    community_field = "case__person__community"


class CaseAction(models.Model):
    """A dated step of handling (交办, 调查核实, 协调, 电话回访...) with notes and who recorded it."""

    case = models.ForeignKey(Case, verbose_name="信访事项", on_delete=models.PROTECT, related_name="actions")
    done_on = models.DateField("办理日期", validators=[validate_not_after_today])
    note = models.TextField("办理情况")
    by = user_field("记录人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="办理记录变更记录")
    objects = CaseActionQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "办理记录"
        ordering = ["case", "done_on", "id"]
        indexes = [models.Index(fields=["case", "done_on"], name="cases_action_case_date")]

    def __str__(self) -> str:
        return f"{self.done_on:%Y-%m-%d} {self.note[:20]}"

    def clean(self) -> None:
        self.note = (self.note or "").strip()
        if not self.note:
            raise ValidationError({"note": "请填写办理情况"})
        case = self.case
        if self.done_on is None:
            return
        if self.done_on < case.received_on:
            raise ValidationError({"done_on": ACTION_BEFORE_RECEIPT})
        if case.closed_on is not None:
            raise ValidationError({"done_on": ACTION_AFTER_CLOSING})
