"""Import/export templates of the registry: persons (持证残疾人) and surveys (需求调查)."""

import re
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db.models import F

from core import idnumbers
from core.models import Community
from core.periods import today
from core.roles import sees_all_streets
from registry.filters import PersonFilter, SurveyFilter
from registry.models import (
    CERTIFICATE_NUMBER_TAKEN_MESSAGE,
    PERSON_BANK_FIELDS,
    PERSON_FIELDS,
    PERSON_STATUS_FIELDS,
    SURVEY_ANSWER_FIELDS,
    Category,
    Education,
    EmploymentStatus,
    Grade,
    LowIncomeType,
    MedicalInsurance,
    PensionInsurance,
    Person,
    PersonStatus,
    Survey,
    YesNo,
    mask_bank_account,
)
from registry.selectors import DUPLICATE_ELSEWHERE_MESSAGE
from registry.widgets import PersonWidget, category_aliases, grade_aliases
from sheets.resources import PortalField, PortalResource, StreetRecordResource, values_where_in
from sheets.widgets import (
    ChoiceWidget,
    CodeTextWidget,
    CommunityWidget,
    DateWidget,
    IdNumberWidget,
    IntegerWidget,
    MoneyWidget,
    TextWidget,
    YearWidget,
    YesNoWidget,
)

MASKED_ACCOUNT_RE = re.compile(r"\*{4}\d{4}")


class BankAccountWidget(CodeTextWidget):
    """银行账号: exported masked (****1234); a masked value imported back keeps the stored account."""

    def __init__(self) -> None:
        super().__init__(
            max_length=30, rule="12至30位数字，可选；导出文件中显示为****后四位，原样导入时保留原账号"
        )

    def parse(self, value) -> str:
        text = str(value).strip() if isinstance(value, str) else ""
        if MASKED_ACCOUNT_RE.fullmatch(text):
            return text
        return super().parse(value)

    def render(self, value, obj=None, **kwargs):
        return mask_bank_account(value or "")


class PersonResource(StreetRecordResource):
    import_name = "persons"
    import_title = "持证残疾人"
    filterset_class = PersonFilter
    change_display = {"bank_account": mask_bank_account}
    export_select_related = ("street", "community")

    name = PortalField("name", "姓名", TextWidget(max_length=50), required=True, rule="1–50个字", width=10)
    id_number = PortalField("id_number", "公民身份号码", IdNumberWidget(), required=True, width=22)
    certificate_number = PortalField(
        "certificate_number",
        "残疾人证号",
        CodeTextWidget(max_length=20, upper=True),
        rule="20位：公民身份号码 + 残疾类别代码 + 残疾等级代码，须与残疾类别、等级一致；为空时自动生成",
        width=24,
    )
    category = PortalField(
        "category",
        "残疾类别",
        ChoiceWidget(Category, aliases=category_aliases()),
        required=True,
        rule="视力、听力、言语、肢体、智力、精神、多重（也可填代码1–7）",
    )
    grade = PortalField(
        "grade",
        "残疾等级",
        ChoiceWidget(Grade, aliases=grade_aliases()),
        required=True,
        rule="一级、二级、三级、四级（也可填 1–4 或 1级）",
    )
    issued_on = PortalField(
        "issued_on",
        "发证日期",
        DateWidget(),
        required=True,
        rule="日期，不早于出生日期，不晚于今天（如 2023-05-06）",
        width=12,
    )
    community = PortalField("community", "所属社区", CommunityWidget(street_column="所属街道"))
    address = PortalField("address", "居住地址", TextWidget(max_length=200), width=30)
    phone = PortalField(
        "phone",
        "联系电话",
        CodeTextWidget(max_length=20),
        rule="11位手机号（1开头），或座机 025-xxxxxxxx / 8位数字",
    )
    bank_name = PortalField(
        "bank_name", "开户银行", TextWidget(max_length=50), rule="可选，不超过50个字", width=16
    )
    bank_account = PortalField("bank_account", "银行账号", BankAccountWidget(), width=24)
    status = PortalField(
        "status",
        "人员状态",
        ChoiceWidget(PersonStatus),
        rule="正常（默认）、注销、死亡、迁出；空白视为“正常”",
    )
    status_changed_on = PortalField(
        "status_changed_on",
        "状态变更日期",
        DateWidget(),
        required_note="人员状态不是“正常”时必填",
        rule="日期；人员状态为注销、死亡或迁出时必填",
        width=12,
    )

    class Meta:
        model = Person
        import_id_fields = ("id_number",)
        fields = (*PERSON_FIELDS, *PERSON_STATUS_FIELDS, *PERSON_BANK_FIELDS)

    def existing_queryset(self):
        # Person.clean() reads the community's street; the stored account is kept for masked cells.
        return Person.objects.select_related("community").annotate(stored_bank_account=F("bank_account"))

    @classmethod
    def existing_elsewhere_error(cls) -> tuple[str, str]:
        # The duplicate-ID message of every door (registry.selectors.duplicate_id) for a clerk.
        return cls.column_of("id_number"), DUPLICATE_ELSEWHERE_MESSAGE

    def prepare_rows(self, rows, context) -> None:
        """所属社区 is a name under the row's street. Known communities are looked up. A new name
        becomes a community of that street (created just before the rows are written, reported as a
        warning) when district staff or the server imports; for a street clerk it is an error that
        names the nearest community of his street (a typo must not create a community)."""
        communities = context.cache.get("communities")
        if communities is None:
            communities = {(c.street_id, c.name): c for c in Community.objects.all()}
            context.cache["communities"] = communities
        scope = context.scope_street_id
        column = self.column_of("community")
        for row in rows:
            values = row.values
            name = values.get("community")
            if not isinstance(name, str):
                continue
            street = values["street"]
            if not name or (scope is not None and street.pk != scope):
                # Another street's row gets the scope message alone (BulkImporter._build).
                values["community"] = None
                continue
            community = communities.get((street.pk, name))
            if community is None:
                if scope is not None:
                    context.error(row, column, unknown_community_message(name, street, communities))
                    values["community"] = None
                    continue
                community = Community(street=street, name=name)
                communities[(street.pk, name)] = community
                context.report.new_communities.append(f"{street.name} {name}")
                context.report.new_community_details.append(
                    {
                        "street": street.name,
                        "name": name,
                        "nearest": nearest_community(name, street, communities),
                    }
                )
                context.warn(row.number, column, f"新建社区：{street.name} {name}（如为笔误请修改文件）")
            values["community"] = community
        self._check_certificate_numbers(rows, context)

    def _check_certificate_numbers(self, rows, context) -> None:
        """A certificate number another person holds, typed or derived from an empty cell, is refused
        with the message of every door (the write would fail on the unique index): one query per
        chunk. A number two persons of the file take is named at the later row. Another street's row
        is left to the scope message alone."""
        scope = context.scope_street_id
        wanted: dict[str, list] = {}
        for row in rows:
            values = row.values
            id_number = values.get("id_number")
            street = values.get("street")
            if not id_number or (scope is not None and getattr(street, "pk", None) != scope):
                continue
            number = values.get("certificate_number") or idnumbers.certificate_number_for(
                id_number, values.get("category") or "", values.get("grade") or ""
            )
            wanted.setdefault(number, []).append(row)
        if not wanted:
            return
        holders = values_where_in(
            Person.objects.order_by(), "certificate_number", list(wanted), ["certificate_number", "id_number"]
        )
        column = self.column_of("certificate_number")
        # Two persons of one file with one number: the later row is named (rows of one person are the
        # key check's duplicates), across chunks too; first, as an earlier chunk may have written it.
        first_rows = context.cache.setdefault("certificate_numbers", {})
        for number, numbered in wanted.items():
            for row in numbered:
                first, id_number = first_rows.setdefault(number, (row.number, row.values["id_number"]))
                if id_number != row.values["id_number"]:
                    context.error(row, column, f"与第{first}行重复（残疾人证号相同）")
        for number, holder in holders:
            for row in wanted[number]:
                if holder != row.values["id_number"]:
                    context.error(row, column, CERTIFICATE_NUMBER_TAKEN_MESSAGE)

    def adjust_instance(self, instance, values, is_new) -> None:
        # The certificate number follows the ID number, category and grade: derive it again
        # whenever the file leaves it empty (Person.clean() checks a typed one).
        if not values.get("certificate_number"):
            instance.certificate_number = ""
        # An exported (masked) account imported back keeps the stored one when its last digits agree.
        account = values.get("bank_account") or ""
        if MASKED_ACCOUNT_RE.fullmatch(account):
            stored = "" if is_new else getattr(instance, "stored_bank_account", "") or ""
            instance.bank_account = stored if stored.endswith(account[-4:]) else account

    def same_as_stored(self, attribute, value, stored, values) -> bool:
        # As adjust_instance: an empty certificate number is derived again, a masked account keeps
        # the stored one whose last digits it shows.
        if attribute == "certificate_number" and not value:
            return stored == idnumbers.certificate_number_for(
                values.get("id_number") or "", values.get("category") or "", values.get("grade") or ""
            )
        if attribute == "bank_account" and MASKED_ACCOUNT_RE.fullmatch(value or ""):
            return bool(stored) and stored.endswith(value[-4:])
        return False

    def before_write(self, context) -> None:
        communities = context.cache.get("communities", {})
        new = [c for c in communities.values() if c.pk is None]
        if new:
            Community.objects.bulk_create(new)

    # The admin's row-by-row import: the same 所属社区 rule as prepare_rows.

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        community = instance.community if instance.community_id is None else None
        user = getattr(self, "_acting_user", None)
        if community is not None and user is not None and not sees_all_streets(user):
            known = {(c.street_id, c.name): c for c in Community.objects.filter(street_id=instance.street_id)}
            message = unknown_community_message(community.name, instance.street, known)
            raise ValidationError({"community": message})

    def do_instance_save(self, instance, is_create):
        community = instance.community if instance.community_id is None else None
        if community is not None:
            community.save()
            instance.community = community
        super().do_instance_save(instance, is_create)


# how alike a new name and an existing one must be to ask "是否为：…？" (华桥路社区 / 华侨路社区: 0.8)
SIMILAR_NAME_RATIO = 0.6


def nearest_community(name: str, street, communities: dict) -> str:
    """The existing community of the street whose name is closest to `name`, when it is close."""
    names = [c.name for (street_id, _), c in communities.items() if street_id == street.pk and c.pk]
    scored = [(SequenceMatcher(None, name, candidate).ratio(), candidate) for candidate in names]
    best = max(scored, default=(0, ""))
    return best[1] if best[0] >= SIMILAR_NAME_RATIO else ""


def unknown_community_message(name: str, street, communities: dict) -> str:
    """社区不存在：华桥路社区（最接近的是：华侨路社区）: the nearest name among the street's communities."""
    names = [c.name for (street_id, _), c in communities.items() if street_id == street.pk and c.pk]
    if not names:
        return f"社区不存在：{name}（{street.name}尚未登记社区，请联系区残联）"
    nearest = max(names, key=lambda candidate: (SequenceMatcher(None, name, candidate).ratio(), candidate))
    return f"社区不存在：{name}（最接近的是：{nearest}）"


class PersonRecordResource(PortalResource):
    """A template of records of one person each: the person, by 公民身份号码, in the first column."""

    export_select_related = ("person",)

    person = PortalField("person", "公民身份号码", PersonWidget(), required=True, width=22)


class SurveyResource(PersonRecordResource):
    import_name = "surveys"
    import_title = "基本服务状况和需求调查"
    filterset_class = SurveyFilter

    year = PortalField(
        "year",
        "调查年度",
        YearWidget(2015, lambda: today().year),
        required=True,
        rule="四位年份，2015年至今年",
    )
    household_size = PortalField("household_size", "家庭人口数", IntegerWidget(1, 20), rule="整数，1–20")
    household_income = PortalField(
        "household_income", "家庭年收入", MoneyWidget(), rule="元，不小于0，最多两位小数"
    )
    low_income_type = PortalField(
        "low_income_type", "低保类别", ChoiceWidget(LowIncomeType), rule="无（默认）、低保、低保边缘、特困"
    )
    dibao_eligible = PortalField("dibao_eligible", "符合低保条件", YesNoWidget())
    needs_rehab = PortalField("needs_rehab", "康复需求", YesNoWidget())
    needs_device = PortalField("needs_device", "辅具需求", YesNoWidget())
    needs_care = PortalField("needs_care", "托养需求", YesNoWidget())
    needs_barrier_free = PortalField("needs_barrier_free", "无障碍改造需求", YesNoWidget())
    education = PortalField("education", "受教育状况", ChoiceWidget(Education), width=18)
    pension_insurance = PortalField("pension_insurance", "养老保险", ChoiceWidget(PensionInsurance))
    medical_insurance = PortalField("medical_insurance", "医疗保险", ChoiceWidget(MedicalInsurance))
    # Optional columns added with the annual campaign: a file without them imports as before.
    employment_status = PortalField(
        "employment_status",
        "就业状况",
        ChoiceWidget(EmploymentStatus),
        rule="可选：就业、未就业、未到就业年龄、已退休、无劳动能力",
    )
    wants_work = PortalField("wants_work", "就业意愿", ChoiceWidget(YesNo), rule="可选：有、无")
    wants_training = PortalField("wants_training", "培训需求", ChoiceWidget(YesNo), rule="可选：有、无")
    household_key = PortalField(
        "household_key", "户编号", CodeTextWidget(max_length=30), rule="可选；同一户的人员填写相同的户编号"
    )
    multi_disabled_household = PortalField("multi_disabled_household", "一户多残", YesNoWidget())
    elderly_carer_household = PortalField("elderly_carer_household", "依老养残", YesNoWidget())

    class Meta:
        model = Survey
        import_id_fields = ("person", "year")
        fields = ("person", "year", *SURVEY_ANSWER_FIELDS)
