"""One rule, every door: the page, the API and the import refuse the same application with the
same Chinese message, and write nothing."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook

from certificates.models import Application
from certificates.tests import factories as f
from core.models import PHONE_MESSAGE, Street
from imports.services import run_import

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]


def _doors(
    client, staff_user, *, id_number: str, kind: str, reason: str = "", phone: str = ""
) -> tuple[str, list, list]:
    client.force_login(staff_user, backend="django.contrib.auth.backends.ModelBackend")
    street = Street.objects.get(name="宁海路街道")
    data = {
        "name": "同一人",
        "id_number": id_number,
        "kind": kind,
        "reason": reason,
        "received_on": "2025-06-02",
        "phone": phone,
    }
    page = client.post(
        reverse("certificates:application_create"), data | {"street": street.pk}
    ).content.decode()
    api = client.post(
        reverse("certificates_api:application-list"),
        data | {"street": street.name},
        content_type="application/json",
    ).json()
    book = Workbook()
    book.active.append(
        ["申请人姓名", "公民身份号码", "申请类型", "具体原因", "受理日期", "所属街道", "联系电话"]
    )
    labels = {"new": "新办", "renew": "换领"}
    book.active.append(
        ["同一人", id_number, labels[kind], "有效期满" if reason else "", "2025-06-02", "宁海路", phone]
    )
    out = io.BytesIO()
    book.save(out)
    report = run_import("certificate_applications", out.getvalue(), user=staff_user)
    return page, api, report.errors


@pytest.mark.parametrize(
    "rule,message",
    [
        ("holder_new", "该身份证号码已持有有效残疾人证，只能申请换领、补领或注销"),
        ("bad_id", "校验位错误"),
        ("renew_without_certificate", "该身份证号码没有有效残疾人证，不能申请换领、补领或注销"),
    ],
)
def test_each_rule_is_refused_by_form_api_and_import_with_the_same_message(client, staff_user, rule, message):
    if rule == "holder_new":
        id_number, kind = f.issued_new().id_number, "new"
    elif rule == "bad_id":
        id_number, kind = "320106198503040001", "new"
    else:
        id_number, kind = f.new_id_number(), "renew"
    before = Application.objects.count()
    page, api, import_errors = _doors(
        client, staff_user, id_number=id_number, kind=kind, reason="expiry" if kind == "renew" else ""
    )
    assert message in page
    assert message in [m for messages in api.values() for m in messages]
    # the import preview adds the value found in the cell: "…（填写的是：新办）"
    assert message in [re.sub(r"（填写的是：[^）]*）$", "", e["message"]) for e in import_errors]
    assert Application.objects.count() == before


def test_a_phone_the_register_refuses_is_refused_at_intake_by_form_api_and_import(client, staff_user):
    # given an applicant's phone that the register would refuse when the certificate is issued
    before = Application.objects.count()
    # when it is taken in through each door
    page, api, import_errors = _doors(
        client, staff_user, id_number=f.new_id_number(), kind="new", phone="abc"
    )
    # then each refuses it with the register's message, naming the field, and writes nothing
    assert PHONE_MESSAGE in page
    assert api.get("phone") == [PHONE_MESSAGE]
    assert [e["message"] for e in import_errors if e["column"] == "联系电话"] == [
        f"{PHONE_MESSAGE}（填写的是：abc）"
    ]
    assert Application.objects.count() == before
