"""Import/export template of 信访事项 (key: 编号), for the backlog of petitions and hotline items.

A row's rules are the pages' (the model's clean(): closing needs a reply and an outcome, no deadline
before receipt, the person of the row's street, a person or a petitioner) and the services'
(`check_rules()` -> services.apply_deadline and services.check_closing): an empty 办理期限 is computed
from the source's rule in working days; proposals need one."""

from __future__ import annotations

from cases import services
from cases.filters import CaseFilter
from cases.models import Case, CaseCategory, Outcome, Satisfaction, Source
from registry.widgets import PersonWidget
from sheets.resources import PortalField, StreetRecordResource
from sheets.widgets import ChoiceWidget, CodeTextWidget, DateWidget, TextWidget


class CaseResource(StreetRecordResource):
    import_name = "cases"
    import_title = "信访事项"
    filterset_class = CaseFilter
    export_select_related = ("street", "person")

    number = PortalField(
        "number",
        "编号",
        CodeTextWidget(max_length=40),
        required=True,
        rule="信访件编号或热线工单号，不可重复",
        width=18,
    )
    source = PortalField("source", "来源", ChoiceWidget(Source), required=True)
    received_on = PortalField(
        "received_on", "受理日期", DateWidget(), required=True, rule="日期，不晚于今天", width=12
    )
    person = PortalField(
        "person",
        "公民身份号码",
        PersonWidget(),
        rule="可选：来件人本人或所涉持证残疾人（须已在持证残疾人登记中，且属于所属街道）",
        width=22,
    )
    petitioner = PortalField(
        "petitioner",
        "来件人",
        TextWidget(max_length=100),
        required_note="未填公民身份号码时必填",
        rule="亲属、单位或组织来件时填写名称",
    )
    phone = PortalField("phone", "联系电话", CodeTextWidget(max_length=20))
    subject = PortalField("subject", "事由", TextWidget(max_length=200), required=True, width=30)
    category = PortalField("category", "类别", ChoiceWidget(CaseCategory), required=True)
    deadline = PortalField(
        "deadline",
        "办理期限",
        DateWidget(),
        required_note="人大建议、政协提案必填",
        rule="日期，不早于受理日期；为空时按来源的办理时限（工作日）计算",
        width=12,
    )
    assignee = PortalField("assignee", "承办人（单位）", TextWidget(max_length=100), width=16)
    reply = PortalField(
        "reply", "答复内容", TextWidget(max_length=2000), required_note="办结时必填", width=30
    )
    replied_on = PortalField("replied_on", "答复日期", DateWidget(), width=12)
    outcome = PortalField("outcome", "办理结果", ChoiceWidget(Outcome), required_note="办结时必填")
    satisfaction = PortalField(
        "satisfaction",
        "满意度",
        ChoiceWidget(Satisfaction),
        rule="满意、基本满意、不满意、未评价（空白视为未评价）",
    )
    closed_on = PortalField(
        "closed_on",
        "办结日期",
        DateWidget(),
        rule="日期；填写即为已办结，须同时填写答复内容和办理结果",
        width=12,
    )

    class Meta:
        model = Case
        import_id_fields = ("number",)
        # The template's columns: the fields the services write but the long 内容, then 办结日期.
        fields = (*(name for name in services.UPDATABLE_FIELDS if name != "content"), "closed_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rules: dict[str, int] | None = None

    def rules(self) -> dict[str, int]:
        if self._rules is None:
            self._rules = services.rules_by_source()
        return self._rules

    def adjust_instance(self, instance, values, is_new) -> None:
        # before clean(): the service's deadline, entered or by the source's rule
        services.apply_deadline(instance, entered=instance.deadline or None, rules=self.rules())
        if not instance.satisfaction:
            instance.satisfaction = Satisfaction.UNRATED

    def check_rules(self, instance, previous) -> None:
        if not instance.deadline:  # the admin's row-by-row import does not call adjust_instance
            services.apply_deadline(instance, entered=None, rules=self.rules())
        services.check_closing(instance)
