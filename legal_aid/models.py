"""法律救助: 法律咨询 (consultations, a person or anonymous) and 法律救助案件 (aid cases of a person).

Scoping: a consultation belongs to its own street (an anonymous caller has no person; a person's
consultation is recorded in the person's street) and to the person's community; an aid case to its
person's street and community, like every person record.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.constraints import natural_key, not_before, not_negative
from core.date_bounds import validate_not_after_today
from core.models import ChineseNames, TimestampedModel, street_fk, yuan_field
from core.periods import DatedQuerySet, today
from registry.models import PersonRecord, PersonRecordQuerySet, person_field

NEGATIVE_AMOUNT_MESSAGE = "挽回金额不能为负数"
CLOSED_BEFORE_OPENED_MESSAGE = "结案日期不能早于立案日期"
OUTCOME_REQUIRED_MESSAGE = "结案时必须填写办理结果"
OUTCOME_WHILE_OPEN_MESSAGE = "案件未结案，不能填写办理结果；请同时填写结案日期"
STREET_NOT_PERSONS_MESSAGE = "所属街道应与该持证残疾人的街道一致"
STREET_REQUIRED_MESSAGE = "匿名咨询必须填写所属街道"
# An aid case still open after this many days is on the workbench (办理超过90天未结).
LONG_OPEN_DAYS = 90


class Channel(models.TextChoices):
    VISIT = "visit", "来访"
    PHONE = "phone", "电话"
    ONLINE = "online", "网上"
    OUTREACH = "outreach", "上门服务"
    OTHER = "other", "其他"


class Topic(models.TextChoices):
    FAMILY = "family", "婚姻家庭"
    LABOUR = "labour", "劳动就业"
    SOCIAL_SECURITY = "social_security", "社会保障与救助"
    HOUSING = "housing", "房产与物业"
    TORT = "tort", "人身损害赔偿"
    CONTRACT = "contract", "合同与债务"
    INHERITANCE = "inheritance", "继承与赡养"
    OTHER = "other", "其他"


class ConsultationQuerySet(DatedQuerySet):
    """Scoped by the consultation's own street (anonymous ones have no person), and for a community
    worker by the person's community (anonymous consultations stay with the street)."""

    street_field = "street"
    community_field = "person__community"
    date_field = "consulted_on"


class Consultation(TimestampedModel):
    number = models.CharField(
        "登记编号", max_length=20, blank=True, help_text="留空则自动编号（年度-序号，按街道）"
    )
    consulted_on = models.DateField("咨询日期", validators=[validate_not_after_today])
    street = street_fk("legal_consultations")
    person = person_field("legal_consultations", optional=True)
    visitor_name = models.CharField(
        "咨询人", max_length=50, blank=True, help_text="未关联持证残疾人时填写（亲属、代理人或“匿名”）"
    )
    channel = models.CharField("咨询方式", max_length=10, choices=Channel.choices, default=Channel.VISIT)
    topic = models.CharField("咨询类别", max_length=20, choices=Topic.choices)
    summary = models.CharField("咨询事项", max_length=500)
    reply = models.CharField("解答意见", max_length=500, blank=True)
    handled_by = models.CharField("接待人", max_length=50)

    history = HistoricalRecords(verbose_name="法律咨询变更记录")
    objects = ConsultationQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "法律咨询"
        ordering = ["-consulted_on", "-id"]
        constraints = [
            natural_key("legal_consultation", "number", "street", message="本街道已有相同登记编号的法律咨询"),
        ]
        indexes = [
            # the newest-first lists (district, and a clerk's street) and the yearly figures
            models.Index(fields=["consulted_on", "id"], name="legal_consult_date"),
            models.Index(fields=["street", "consulted_on"], name="legal_consult_street_date"),
        ]

    def __str__(self) -> str:
        return f"法律咨询 {self.number or ''} {self.consulted_on:%Y-%m-%d}".replace("  ", " ")

    @property
    def visitor(self) -> str:
        """Who asked: the person's name, the caller's name, or 匿名."""
        if self.person_id is not None:
            return self.person.name
        return self.visitor_name or "匿名"

    def clean(self) -> None:
        self.visitor_name = (self.visitor_name or "").strip()
        self.number = (self.number or "").strip()
        if self.person_id is not None:
            if self.street_id is None:
                self.street_id = self.person.street_id
            elif self.street_id != self.person.street_id:
                raise ValidationError({"street": STREET_NOT_PERSONS_MESSAGE})
        elif self.street_id is None:
            raise ValidationError({"street": STREET_REQUIRED_MESSAGE})


class AidKind(models.TextChoices):
    LITIGATION = "litigation", "诉讼代理"
    MEDIATION = "mediation", "调解"
    REFERRAL = "referral", "法律援助转介"
    DOCUMENT = "document", "代写法律文书"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "诉求获支持"
    SETTLED = "settled", "调解成功"
    PARTLY = "partly", "部分支持"
    REJECTED = "rejected", "未获支持"
    WITHDRAWN = "withdrawn", "撤回或终止"
    REFERRED = "referred", "已转介办结"
    DONE = "done", "已办结"


class AidCaseQuerySet(PersonRecordQuerySet, DatedQuerySet):
    date_field = "opened_on"

    def open_on(self, date: dt.date):
        """Opened on or before `date` and not closed before it."""
        return self.filter(Q(opened_on__lte=date) & (Q(closed_on__isnull=True) | Q(closed_on__gte=date)))

    def still_open(self):
        return self.filter(closed_on__isnull=True)

    def long_open(self, on: dt.date | None = None):
        """Open for more than LONG_OPEN_DAYS days (the workbench's to-do)."""
        on = on or today()
        return self.still_open().filter(opened_on__lt=on - dt.timedelta(days=LONG_OPEN_DAYS))

    def closed_in(self, year: int):
        return self.filter(closed_on__gte=dt.date(year, 1, 1), closed_on__lte=dt.date(year, 12, 31))


class AidCase(PersonRecord):
    person = person_field("legal_aid_cases")
    kind = models.CharField("救助方式", max_length=12, choices=AidKind.choices)
    subject = models.CharField("案由", max_length=100, help_text="如 劳动争议、交通事故赔偿、赡养纠纷")
    counsel = models.CharField("承办律师或机构", max_length=100)
    opened_on = models.DateField("立案日期", validators=[validate_not_after_today])
    closed_on = models.DateField("结案日期", null=True, blank=True, validators=[validate_not_after_today])
    outcome = models.CharField("办理结果", max_length=12, choices=Outcome.choices, blank=True)
    amount_recovered = yuan_field(
        "挽回金额（元）", max_digits=12, optional=True, help_text="为当事人挽回或争取的经济损失，单位元"
    )
    notes = models.CharField("备注", max_length=500, blank=True)
    # The street that took the case in: the person's street when it was recorded. The yearly figures
    # count by it without a join with the register; scoping stays with the person's street.
    street = street_fk("legal_aid_cases", verbose_name="受理街道", editable=False, blank=True)

    history = HistoricalRecords(verbose_name="法律救助案件变更记录")
    objects = AidCaseQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "法律救助案件"
        ordering = ["-opened_on", "-id"]
        constraints = [
            natural_key(
                "legal_aidcase",
                "person",
                "kind",
                "opened_on",
                message="该人员同一天已有同一救助方式的法律救助案件",
            ),
            not_before(
                "closed_on",
                "opened_on",
                name="legal_aidcase_closed_after_opened",
                message=CLOSED_BEFORE_OPENED_MESSAGE,
            ),
            not_negative(
                "amount_recovered",
                name="legal_aidcase_amount_not_negative",
                message=NEGATIVE_AMOUNT_MESSAGE,
                nullable=True,
            ),
        ]
        indexes = [
            models.Index(fields=["opened_on", "id"], name="legal_aidcase_opened"),
            models.Index(fields=["closed_on"], name="legal_aidcase_closed"),
            models.Index(fields=["opened_on", "street", "kind"], name="legal_aidcase_opened_figures"),
            models.Index(fields=["closed_on", "street", "kind"], name="legal_aidcase_closed_figures"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.opened_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def days_open(self) -> int:
        """Days from 立案 to 结案 (or to today while open)."""
        return ((self.closed_on or today()) - self.opened_on).days

    def take_street(self) -> None:
        """The receiving street, set once from the person (every door runs clean() or save())."""
        if self.street_id is None and self.person_id is not None:
            self.street_id = self.person.street_id

    def clean(self) -> None:
        self.subject = (self.subject or "").strip()
        self.counsel = (self.counsel or "").strip()
        self.take_street()
        check_aid_case(self)

    def save(self, *args, **kwargs) -> None:
        self.take_street()
        super().save(*args, **kwargs)


def check_aid_case(case: AidCase) -> None:
    """The rules of one aid case, with the messages every door shows (form, API, import, admin)."""
    errors: dict[str, str] = {}
    if case.amount_recovered is not None and case.amount_recovered < 0:
        errors["amount_recovered"] = NEGATIVE_AMOUNT_MESSAGE
    if case.opened_on and case.closed_on and case.closed_on < case.opened_on:
        errors["closed_on"] = CLOSED_BEFORE_OPENED_MESSAGE
    elif case.closed_on and not case.outcome:
        errors["outcome"] = OUTCOME_REQUIRED_MESSAGE
    elif case.outcome and not case.closed_on:
        errors["outcome"] = OUTCOME_WHILE_OPEN_MESSAGE
    if errors:
        raise ValidationError(errors)
