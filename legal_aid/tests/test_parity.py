"""One rule, every door: a negative amount recovered, a closing before the opening and a person's
consultation in another street are refused by the page's form, the API, the Excel import and the
admin with the same Chinese message, and nothing is written."""

import re

import pytest
from django.urls import reverse

from imports.services import run_import
from imports.tests.factories import sheet_bytes
from legal_aid.models import AidCase, Consultation
from legal_aid.tests.factories import CASE_HEADER as TEMPLATE_CASE_HEADER
from registry.tests.factories import PersonFactory, street

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# The aid cases template without its last column, 备注.
CASE_HEADER = TEMPLATE_CASE_HEADER[:-1]


def _xlsx(header, rows) -> bytes:
    return sheet_bytes([header, *rows])


def _api_messages(response) -> list[str]:
    return [m for messages in response.json().values() for m in messages]


def _import_messages(report) -> list[str]:
    return [re.sub(r"（填写的是：[^）]*）$", "", e["message"]) for e in report.errors]


@pytest.mark.parametrize(
    "closed_on,amount,message",
    [
        ("2026-05-06", "-1.50", "挽回金额不能为负数"),
        ("2026-03-01", "100", "结案日期不能早于立案日期"),
        ("2026-05-06", "", "结案时必须填写办理结果"),
    ],
)
def test_aid_case_rules_are_refused_on_every_door_with_one_message(
    client_for, clerk_user, admin_user, closed_on, amount, message
):
    person = PersonFactory()
    outcome_code = "" if "办理结果" in message else "upheld"
    outcome_label = "" if "办理结果" in message else "诉求获支持"
    values = {
        "kind": "litigation",
        "subject": "劳动争议",
        "counsel": "鼓楼区法律援助中心",
        "opened_on": "2026-03-02",
        "closed_on": closed_on,
        "outcome": outcome_code,
        "amount_recovered": amount,
    }
    client = client_for(clerk_user)

    page = client.post(reverse("legal_aid:case_create"), values | {"id_number": person.id_number})
    api = client.post(
        reverse("legal_aid_api:case-list"),
        values | {"person": person.pk, "amount_recovered": amount or None},
        content_type="application/json",
    )
    report = run_import(
        "legal_aid_cases",
        _xlsx(
            CASE_HEADER,
            [
                [
                    person.id_number,
                    "诉讼代理",
                    "2026-03-02",
                    "劳动争议",
                    "鼓楼区法律援助中心",
                    closed_on,
                    outcome_label,
                    amount,
                ]
            ],
        ),
        user=clerk_user,
    )
    admin = client_for(admin_user).post(
        reverse("admin:legal_aid_aidcase_add"), values | {"person": person.pk}
    )

    assert page.status_code == 200 and message in page.content.decode()
    assert api.status_code == 400 and message in _api_messages(api)
    assert message in _import_messages(report)
    assert admin.status_code == 200 and message in admin.content.decode()
    assert not AidCase.objects.exists()


def test_a_persons_consultation_in_another_street_is_refused_on_every_door(
    client_for, staff_user, admin_user
):
    person = PersonFactory()
    other = street("华侨路街道")
    message = "所属街道应与该持证残疾人的街道一致"
    values = {
        "consulted_on": "2026-11-27",
        "channel": "phone",
        "topic": "labour",
        "summary": "被拖欠工资",
        "handled_by": "王律师",
    }
    client = client_for(staff_user)

    page = client.post(
        reverse("legal_aid:consultation_create"), values | {"id_number": person.id_number, "street": other.pk}
    )
    api = client.post(
        reverse("legal_aid_api:consultation-list"),
        values | {"person": person.pk, "street": other.name},
        content_type="application/json",
    )
    report = run_import(
        "legal_consultations",
        _xlsx(
            ["登记编号", "所属街道", "咨询日期", "公民身份号码", "咨询类别", "咨询事项", "接待人"],
            [["2026-0001", "华侨路", "2026-11-27", person.id_number, "劳动就业", "被拖欠工资", "王律师"]],
        ),
        user=staff_user,
    )
    admin = client_for(admin_user).post(
        reverse("admin:legal_aid_consultation_add"),
        values | {"person": person.pk, "street": other.pk, "number": "2026-0001"},
    )

    assert message in page.content.decode()
    assert api.status_code == 400 and message in _api_messages(api)
    assert message in _import_messages(report)
    assert admin.status_code == 200 and message in admin.content.decode()
    assert not Consultation.objects.exists()
