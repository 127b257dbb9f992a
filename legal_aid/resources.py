"""Import/export templates of 法律咨询 and 法律救助案件 (the backlog kept in Excel by the stations).

The rules a row must pass are the models' clean() (the engine runs it on every row) and the
services' own: `services.consultation_street` (a person's consultation belongs to his street),
called in `adjust_instance` as the service calls it. A negative 挽回金额 reaches AidCase.clean()
(the column's MoneyWidget leaves the sign to it), which refuses it with the message of every door.
"""

from __future__ import annotations

from legal_aid import services
from legal_aid.filters import AidCaseFilter, ConsultationFilter
from legal_aid.models import AidCase, AidKind, Channel, Consultation, Outcome, Topic, check_aid_case
from registry.resources import PersonRecordResource
from registry.widgets import PersonWidget
from sheets.resources import PortalField, StreetRecordResource
from sheets.widgets import ChoiceWidget, DateWidget, MoneyWidget, TextWidget


class ConsultationResource(StreetRecordResource):
    import_name = "legal_consultations"
    import_title = "法律咨询"
    filterset_class = ConsultationFilter
    export_select_related = ("street", "person")

    number = PortalField(
        "number", "登记编号", TextWidget(max_length=20), required=True, rule="本街道内唯一，如 2025-0001"
    )
    consulted_on = PortalField(
        "consulted_on", "咨询日期", DateWidget(), required=True, rule="日期，不晚于今天", width=12
    )
    person = PortalField(
        "person",
        "公民身份号码",
        PersonWidget(),
        width=22,
        rule="咨询人是持证残疾人时填写（须已登记，且属于所填街道）；匿名或亲属咨询空白",
    )
    visitor_name = PortalField(
        "visitor_name",
        "咨询人",
        TextWidget(max_length=50),
        rule="未填公民身份号码时可填亲属、代理人姓名或“匿名”",
    )
    channel = PortalField(
        "channel", "咨询方式", ChoiceWidget(Channel), rule="来访（默认）、电话、网上、上门服务、其他"
    )
    topic = PortalField("topic", "咨询类别", ChoiceWidget(Topic), required=True, width=16)
    summary = PortalField("summary", "咨询事项", TextWidget(max_length=500), required=True, width=40)
    reply = PortalField("reply", "解答意见", TextWidget(max_length=500), width=40)
    handled_by = PortalField("handled_by", "接待人", TextWidget(max_length=50), required=True)

    class Meta:
        model = Consultation
        import_id_fields = ("number", "street")
        fields = services.CONSULTATION_FIELDS

    def adjust_instance(self, instance, values, is_new) -> None:
        instance.street = services.consultation_street(instance.person, instance.street)


class AidCaseResource(PersonRecordResource):
    import_name = "legal_aid_cases"
    import_title = "法律救助案件"
    filterset_class = AidCaseFilter

    kind = PortalField("kind", "救助方式", ChoiceWidget(AidKind), required=True, width=16)
    opened_on = PortalField(
        "opened_on", "立案日期", DateWidget(), required=True, rule="日期，不晚于今天", width=12
    )
    subject = PortalField("subject", "案由", TextWidget(max_length=100), required=True, width=20)
    counsel = PortalField("counsel", "承办律师或机构", TextWidget(max_length=100), required=True, width=24)
    closed_on = PortalField(
        "closed_on", "结案日期", DateWidget(), rule="日期，不早于立案日期；办理中空白", width=12
    )
    outcome = PortalField(
        "outcome",
        "办理结果",
        ChoiceWidget(Outcome),
        required_note="填写结案日期时必填",
        rule="结案时必填：" + "、".join(Outcome.labels),
        width=14,
    )
    amount_recovered = PortalField(
        "amount_recovered",
        "挽回金额",
        MoneyWidget(rule="金额（元），不小于0，最多两位小数；未挽回经济损失可空白", negative=None),
    )
    notes = PortalField("notes", "备注", TextWidget(max_length=500), width=30)

    class Meta:
        model = AidCase
        import_id_fields = ("person", "kind", "opened_on")
        fields = (
            "person",
            "kind",
            "opened_on",
            "subject",
            "counsel",
            "closed_on",
            "outcome",
            "amount_recovered",
            "notes",
        )

    def check_rules(self, instance, previous) -> None:
        # The rules the services apply through AidCase.clean(); the bulk engine has run clean()
        # already, the admin's row-by-row import reaches here without it on some paths.
        check_aid_case(instance)
