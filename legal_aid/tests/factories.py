import datetime as dt

import factory

from legal_aid.models import AidCase, AidKind, Channel, Consultation, Topic
from registry.tests.factories import PersonRecordFactory, street

# The columns of the two templates, in order.
CONSULTATION_HEADER = [
    "登记编号",
    "所属街道",
    "咨询日期",
    "公民身份号码",
    "咨询人",
    "咨询方式",
    "咨询类别",
    "咨询事项",
    "解答意见",
    "接待人",
]
CASE_HEADER = [
    "公民身份号码",
    "救助方式",
    "立案日期",
    "案由",
    "承办律师或机构",
    "结案日期",
    "办理结果",
    "挽回金额",
    "备注",
]


class ConsultationFactory(PersonRecordFactory):
    """A person's consultation in the person's street (pass person=None, street=… for an anonymous one)."""

    class Meta:
        model = Consultation

    street = factory.LazyAttribute(lambda o: o.person.street if o.person is not None else street())
    number = factory.Sequence(lambda n: f"2026-{n + 1:04d}")
    consulted_on = dt.date(2026, 3, 2)
    channel = Channel.VISIT
    topic = Topic.LABOUR
    summary = "用人单位拖欠工资如何维权"
    handled_by = "王律师"


class AidCaseFactory(PersonRecordFactory):
    class Meta:
        model = AidCase

    kind = AidKind.MEDIATION
    subject = "劳动争议"
    counsel = "鼓楼区法律援助中心"
    opened_on = dt.date(2026, 3, 2)
