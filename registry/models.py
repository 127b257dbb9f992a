"""The register of certified disabled persons shared by every plan domain."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import idnumbers
from core.constraints import NEGATIVE_MESSAGE, at_least, not_negative, unique
from core.models import (
    PHONE_MESSAGE,
    ChineseNames,
    TimestampedModel,
    change_history,
    community_fk,
    protected_fk,
    street_fk,
    valid_phone,
    yuan_field,
)
from core.periods import EndAfterStartMixin, end_after_start_constraint, today
from core.pinyin import name_pinyin
from core.scoping import StreetScopedQuerySet

BANK_ACCOUNT_RE = re.compile(r"\d{12,30}")
BANK_ACCOUNT_MESSAGE = "银行账号应为12至30位数字"
# A certificate number held by another person: the message of every door (form, API, import, admin).
CERTIFICATE_NUMBER_TAKEN_MESSAGE = "该残疾人证号已登记"


class Category(models.TextChoices):
    VISION = "1", "视力"
    HEARING = "2", "听力"
    SPEECH = "3", "言语"
    PHYSICAL = "4", "肢体"
    INTELLECTUAL = "5", "智力"
    MENTAL = "6", "精神"
    MULTIPLE = "7", "多重"


class Grade(models.TextChoices):
    FIRST = "1", "一级"
    SECOND = "2", "二级"
    THIRD = "3", "三级"
    FOURTH = "4", "四级"


def category_field(**kwargs) -> models.CharField:
    """残疾类别, as the person's certificate states it (and as an assessment finds it)."""
    return models.CharField("残疾类别", max_length=1, choices=Category.choices, **kwargs)


def grade_field(**kwargs) -> models.CharField:
    """残疾等级, as the person's certificate states it (and as an assessment finds it)."""
    return models.CharField("残疾等级", max_length=1, choices=Grade.choices, **kwargs)


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    CANCELLED = "cancelled", "注销"
    DECEASED = "deceased", "死亡"
    MOVED_OUT = "moved_out", "迁出"


# The person's fields a clerk types, in the order of the register's form and import sheet; the
# status has its own service, the bank details are shown masked. Form, import, services and admin
# read these lists.
PERSON_IDENTITY_FIELDS = ("name", "id_number", "certificate_number")
PERSON_DETAIL_FIELDS = ("category", "grade", "issued_on", "street", "community", "address", "phone")
PERSON_FIELDS = (*PERSON_IDENTITY_FIELDS, *PERSON_DETAIL_FIELDS)
PERSON_STATUS_FIELDS = ("status", "status_changed_on")
PERSON_BANK_FIELDS = ("bank_name", "bank_account")
# What no clerk types: read from the ID number, set by the status change, and the timestamps (the
# API and the admin show them read-only).
PERSON_READ_ONLY_FIELDS = ("sex", "birth_date", *PERSON_STATUS_FIELDS, "created_at", "updated_at")


class PersonQuerySet(StreetScopedQuerySet):
    street_field = "street"
    community_field = "community"

    def in_registry_on(self, date: dt.date) -> PersonQuerySet:
        """P(Y) of indicators.md: certified on or before `date` and not gone (注销/死亡/迁出) by then."""
        return self.filter(registry_on_q(date))


def registry_on_q(date: dt.date, prefix: str = "") -> Q:
    """The registry-population predicate, usable through a relation (prefix='person__')."""
    return Q(**{f"{prefix}issued_on__lte": date}) & (
        Q(**{f"{prefix}status": PersonStatus.ACTIVE}) | Q(**{f"{prefix}status_changed_on__gt": date})
    )


# 重度残疾人 (K04's nursing allowance): grades 1 and 2, and grade 3 of the intellectual and mental categories.
SEVERE_Q = Q(grade__in=["1", "2"]) | Q(grade="3", category__in=["5", "6"])


class Person(TimestampedModel):
    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=50)
    certificate_number = models.CharField(
        "残疾人证号",
        max_length=20,
        unique=True,
        blank=True,
        error_messages={"unique": CERTIFICATE_NUMBER_TAKEN_MESSAGE},
    )
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    category = category_field()
    grade = grade_field()
    issued_on = models.DateField("发证日期")
    # no index of its own: person_street_status (street, status) serves every read by street
    street = street_fk("persons", db_index=False)
    community = community_fk("persons")
    address = models.CharField("居住地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField(
        "人员状态", max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    bank_name = models.CharField("开户银行", max_length=50, blank=True)
    bank_account = models.CharField(
        "银行账号", max_length=30, blank=True, help_text="12至30位数字；只在银行发放文件中完整显示"
    )
    # Derived from the name on every write (derive_fields: save(), clean() of forms, API and import).
    name_pinyin = models.CharField("姓名拼音", max_length=400, blank=True, default="", editable=False)
    name_initials = models.CharField("姓名拼音首字母", max_length=50, blank=True, default="", editable=False)

    # The history is read by person (id), by date and by user only (registry.selectors, the admin's
    # history pages): the indexes simple_history would add on the unique and related columns would only
    # slow every write down (an import of 50,000 persons: docs/performance.md, issue 16).
    history = change_history(
        "持证残疾人变更记录", no_db_index=["id_number", "certificate_number", "street", "community"]
    )
    objects = PersonQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "持证残疾人"
        ordering = ["street__order", "name", "id"]
        indexes = [
            models.Index(fields=["street", "status"], name="person_street_status"),
            models.Index(fields=["name"], name="person_name"),
            models.Index(fields=["issued_on"], name="person_issued_on"),
            # the list sorted by pinyin; the search's pattern indexes are PostgreSQL-only (migration 0011)
            models.Index(fields=["name_pinyin", "id"], name="person_name_pinyin"),
            # the few who left the register (died, cancelled, moved out), for the data-quality rules
            # that join their records: read from this small index, not from the whole table
            models.Index(
                fields=["id"],
                include=["status_changed_on", "street", "community"],
                condition=Q(status__in=["cancelled", "deceased", "moved_out"]),
                name="person_gone",
            ),
            # K04's nursing-allowance gap list reads the severely disabled persons in P(Y) (about 40 % of
            # the register) from this index alone, not from the whole table
            models.Index(
                fields=["id"],
                include=["issued_on", "status", "status_changed_on"],
                condition=SEVERE_Q,
                name="person_severe",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", status_changed_on__isnull=True) | ~Q(status="active"),
                name="person_active_has_no_status_date",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="person_inactive_has_status_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_id_number}）"

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask_id_number(self.id_number)

    @property
    def masked_bank_account(self) -> str:
        return mask_bank_account(self.bank_account)

    def derive_fields(self) -> None:
        """Sex, birth date and (when empty) certificate number come from the ID number, never typed;
        the name's pinyin and initials from the name."""
        self.name_pinyin, self.name_initials = name_pinyin(self.name or "")
        if self.id_number and len(self.id_number) == 18:
            try:
                self.birth_date = idnumbers.birth_date_of(self.id_number)
            except ValueError:
                return
            self.sex = idnumbers.sex_of(self.id_number)
            if not self.certificate_number and self.category and self.grade:
                self.certificate_number = idnumbers.certificate_number_for(
                    self.id_number, self.category, self.grade
                )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        date = today()
        # blank: the field's own rule says so (必填项，不能为空), not a second message about its length
        if self.id_number:
            try:
                self.id_number = idnumbers.validate_id_number(self.id_number, today=date)
            except idnumbers.IdNumberError as exc:
                errors["id_number"] = str(exc)
            else:
                self.derive_fields()
                expected = idnumbers.certificate_number_for(
                    self.id_number, self.category or "", self.grade or ""
                )
                cert = (self.certificate_number or "").strip().upper()
                self.certificate_number = cert
                if cert and len(cert) != 20:
                    errors["certificate_number"] = (
                        "残疾人证号应为20位：身份证号 + 残疾类别代码 + 残疾等级代码"
                    )
                elif cert and self.category and self.grade and cert != expected:
                    errors["certificate_number"] = "残疾人证号与公民身份号码、残疾类别、残疾等级不一致"
                if self.issued_on and self.birth_date and self.issued_on < self.birth_date:
                    errors["issued_on"] = "发证日期不能早于出生日期"
        if self.issued_on and self.issued_on > date:
            errors["issued_on"] = "发证日期不能晚于今天"
        if self.community_id and self.street_id and self.community.street_id != self.street_id:
            errors["community"] = "所属社区不属于所选街道"
        if self.status == PersonStatus.ACTIVE:
            self.status_changed_on = None
        elif not self.status_changed_on:
            errors["status_changed_on"] = "人员状态不是“正常”时必须填写状态变更日期"
        elif self.status_changed_on > date:
            errors["status_changed_on"] = "状态变更日期不能晚于今天"
        elif self.issued_on and self.status_changed_on < self.issued_on:
            errors["status_changed_on"] = "状态变更日期不能早于发证日期"
        self.bank_account = (self.bank_account or "").replace(" ", "")
        if self.bank_account and not BANK_ACCOUNT_RE.fullmatch(self.bank_account):
            errors["bank_account"] = BANK_ACCOUNT_MESSAGE
        if self.phone and not valid_phone(self.phone):
            errors["phone"] = PHONE_MESSAGE
        if errors:
            raise ValidationError(errors)

    @property
    def age(self) -> int | None:
        """Completed years today (None before the ID number has been validated)."""
        return self.age_on(timezone.localdate()) if self.birth_date else None

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE

    def age_on(self, date: dt.date) -> int:
        """Completed years on `date`."""
        years = date.year - self.birth_date.year
        if (date.month, date.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def person_field(related_name: str, *, optional: bool = False, **kwargs) -> models.ForeignKey:
    """The 持证残疾人 a record is about; a person with records is never deleted (PROTECT). `optional` for
    records that may name somebody outside the register instead (a visitor, a petitioner)."""
    return protected_fk(Person, "持证残疾人", related_name, optional=optional, **kwargs)


class PersonRecordQuerySet(StreetScopedQuerySet):
    """The records of a person (`person__street`, the default scope) that a community worker sees for the
    persons of his community. Combined with DatedQuerySet or PeriodQuerySet for dated records."""

    community_field = "person__community"


class PersonRecord(TimestampedModel):
    """A person's record in a plan domain (a grant, a training, a placement...): its person, fixed once
    the record exists, and when it was created and last changed. Each subclass adds its history
    (`HistoricalRecords` with its own Chinese name) and a QuerySet scoped by `person__street`
    (PersonRecordQuerySet where the person's community worker may see it)."""

    person = person_field("%(class)ss")

    class Meta:
        abstract = True


class PeriodRecord(EndAfterStartMixin, PersonRecord):
    """A person's record with a start day and an optional end day (a training, an employment, a
    placement): the end-after-start rule, newest first, and the start day's index. Each subclass declares
    `start_date` and `end_date` (their validators differ) and its `Meta` extends this one's."""

    class Meta:
        abstract = True
        ordering = ["-start_date", "id"]
        constraints = [end_after_start_constraint("%(class)s")]
        indexes = [models.Index(fields=["start_date"], name="%(class)s_start")]


def mask_bank_account(account: str) -> str:
    """****1234: bank accounts are shown in full only in the bank file of a payment roll."""
    return f"****{account[-4:]}" if account else ""


class LowIncomeType(models.TextChoices):
    NONE = "none", "无"
    DIBAO = "dibao", "低保"
    DIBAO_EDGE = "dibao_edge", "低保边缘"
    EXTREME_POVERTY = "tekun", "特困"


LOW_INCOME_TYPES = (LowIncomeType.DIBAO, LowIncomeType.DIBAO_EDGE, LowIncomeType.EXTREME_POVERTY)


class Education(models.TextChoices):
    REGULAR_SCHOOL = "regular", "普通学校就读"
    SPECIAL_SCHOOL = "special", "特殊教育学校就读"
    HOME_TEACHING = "home", "送教上门"
    NOT_ENROLLED = "not_enrolled", "未入学"
    SUSPENDED = "suspended", "休学或辍学"
    NOT_APPLICABLE = "na", "不适用"


ENROLLED_EDUCATION = (Education.REGULAR_SCHOOL, Education.SPECIAL_SCHOOL, Education.HOME_TEACHING)


class PensionInsurance(models.TextChoices):
    INSURED = "insured", "已参保"
    NOT_INSURED = "not_insured", "未参保"
    RECEIVING = "receiving", "领取待遇"
    NOT_APPLICABLE = "na", "不适用"


class MedicalInsurance(models.TextChoices):
    INSURED = "insured", "已参保"
    NOT_INSURED = "not_insured", "未参保"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "就业"
    UNEMPLOYED = "unemployed", "未就业"
    UNDER_AGE = "under_age", "未到就业年龄"
    RETIRED = "retired", "已退休"
    UNABLE = "unable", "无劳动能力"


class YesNo(models.TextChoices):
    YES = "yes", "有"
    NO = "no", "无"


# The answers of the annual survey, in the order of the paper form: the one list the form, the
# services, the API, the import template and the demo use.
# The first eleven, the household's means, needs, education and insurance, change slowly from one
# year to the next (the demo carries them over).
SURVEY_HOUSEHOLD_FIELDS = (
    "household_size",
    "household_income",
    "low_income_type",
    "dibao_eligible",
    "needs_rehab",
    "needs_device",
    "needs_care",
    "needs_barrier_free",
    "education",
    "pension_insurance",
    "medical_insurance",
)
SURVEY_ANSWER_FIELDS = (
    *SURVEY_HOUSEHOLD_FIELDS,
    "employment_status",
    "wants_work",
    "wants_training",
    "household_key",
    "multi_disabled_household",
    "elderly_carer_household",
)


class Survey(TimestampedModel):
    """基本服务状况和需求调查: one per person and year."""

    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.CASCADE, related_name="surveys"
    )
    year = models.PositiveSmallIntegerField("调查年度")
    household_size = models.PositiveSmallIntegerField(
        "家庭人口数", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    household_income = yuan_field(
        "家庭年收入（元）",
        max_digits=12,
        optional=True,
        validators=[MinValueValidator(0, message=NEGATIVE_MESSAGE)],
    )
    low_income_type = models.CharField(
        "低保类别", max_length=12, choices=LowIncomeType.choices, default=LowIncomeType.NONE
    )
    dibao_eligible = models.BooleanField("符合低保条件", default=False)
    needs_rehab = models.BooleanField("康复需求", default=False)
    needs_device = models.BooleanField("辅具需求", default=False)
    needs_care = models.BooleanField("托养需求", default=False)
    needs_barrier_free = models.BooleanField("无障碍改造需求", default=False)
    education = models.CharField("受教育状况", max_length=16, choices=Education.choices, blank=True)
    pension_insurance = models.CharField(
        "养老保险", max_length=16, choices=PensionInsurance.choices, blank=True
    )
    medical_insurance = models.CharField(
        "医疗保险", max_length=16, choices=MedicalInsurance.choices, blank=True
    )
    # Questions added with the annual campaign (issue 12): all optional; an empty answer is "not asked".
    # Database defaults too: bulk writers that name only the old columns (COPY) keep working.
    employment_status = models.CharField(
        "就业状况", max_length=12, choices=EmploymentStatus.choices, blank=True, default="", db_default=""
    )
    wants_work = models.CharField(
        "就业意愿", max_length=3, choices=YesNo.choices, blank=True, default="", db_default=""
    )
    wants_training = models.CharField(
        "培训需求", max_length=3, choices=YesNo.choices, blank=True, default="", db_default=""
    )
    household_key = models.CharField(
        "户编号",
        max_length=30,
        blank=True,
        default="",
        db_default="",
        help_text="同一户的人员填写相同的户编号",
    )
    multi_disabled_household = models.BooleanField("一户多残", default=False, db_default=False)
    elderly_carer_household = models.BooleanField("依老养残", default=False, db_default=False)

    history = change_history("需求调查变更记录")
    objects = PersonRecordQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "基本服务状况和需求调查"
        ordering = ["-year"]
        constraints = [
            unique("person", "year", name="survey_one_per_person_year"),
            at_least("year", 2015, name="survey_year_from_2015"),
            models.CheckConstraint(
                condition=Q(household_size__isnull=True) | Q(household_size__gte=1, household_size__lte=20),
                name="survey_household_size_1_20",
            ),
            not_negative("household_income", name="survey_income_not_negative", nullable=True),
        ]
        indexes = [
            models.Index(fields=["year", "person"], name="survey_year_person"),
            # The gap lists (indicators.selectors.gap_person_ids) read only the surveys that can be in
            # them: partial indexes on the condition of each list's denominator (K04's living
            # allowance, K06, K08), the columns the rest of its predicate reads included.
            models.Index(
                fields=["year", "person"],
                condition=Q(low_income_type__in=LOW_INCOME_TYPES),
                name="survey_gap_low_income",
            ),
            models.Index(
                fields=["year", "person"],
                include=["medical_insurance", "pension_insurance"],
                condition=~Q(medical_insurance="")
                & (~Q(medical_insurance="insured") | ~Q(pension_insurance__in=["insured", "receiving"])),
                name="survey_gap_insurance",
            ),
            models.Index(
                fields=["year", "person"], condition=Q(needs_rehab=True), name="survey_gap_needs_rehab"
            ),
            models.Index(
                fields=["year", "person"], condition=Q(needs_device=True), name="survey_gap_needs_device"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度调查"

    @property
    def is_low_income(self) -> bool:
        return self.low_income_type in LOW_INCOME_TYPES

    def clean(self) -> None:
        if self.year is not None and self.year > today().year:
            raise ValidationError({"year": "调查年度不能晚于今年"})
        if self.year is not None and self.year < 2015:
            raise ValidationError({"year": "调查年度不能早于2015年"})
        if (
            self.person_id
            and self.year
            and Survey.objects.filter(person_id=self.person_id, year=self.year).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"year": f"该人员{self.year}年度的调查已存在"})


class AccessLog(models.Model):
    """Who read person data, when, through which door, which persons and how many rows (access.md).

    One row per request, written by `registry.audit`: a detail or edit page names its person, a list,
    an API page, an admin changelist or an export records its row count and the persons it showed.
    """

    class Action(models.TextChoices):
        VIEW = "view", "查看详情"
        LIST = "list", "查看列表"
        EDIT = "edit", "打开编辑页"
        EXPORT = "export", "导出"
        GAP_LIST = "gap_list", "查看缺口名单"

    class Channel(models.TextChoices):
        PAGE = "page", "页面"
        API = "api", "接口（登录会话）"
        API_TOKEN = "api_token", "接口（令牌）"
        ADMIN = "admin", "管理后台"
        COMMAND = "command", "命令行"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    channel = models.CharField("途径", max_length=10, choices=Channel.choices, default=Channel.PAGE)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    object_type = models.CharField("对象", max_length=50, blank=True)
    object_id = models.PositiveBigIntegerField("对象ID", null=True, blank=True)
    person = models.ForeignKey(
        Person, verbose_name="持证残疾人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The persons a list, API page or export showed (ids): "who looked at this person" covers lists too.
    person_ids = models.JSONField("涉及人员ID", default=list, blank=True)
    row_count = models.PositiveIntegerField("行数", default=0)
    path = models.CharField("地址", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)

    class Meta(ChineseNames):
        verbose_name = "访问日志"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
