"""One rule, every door: the same bad case is refused by the page's form, the API, the Excel import
(its preview, through the import service) and the admin's import, with the same Chinese message, and
nothing is written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import tablib
from django.urls import reverse

from cases.models import (
    ACTION_AFTER_CLOSING,
    CLOSE_NEEDS_REPLY,
    DEADLINE_BEFORE_RECEIPT,
    PERSON_OF_OTHER_STREET,
    Case,
    CaseAction,
)
from cases.tests.factories import CaseFactory, close_case
from imports.resources import get_resource_class
from imports.services import import_job_upload
from imports.tests.factories import workbook_bytes
from registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]
ROW = {
    "编号": "BAD-1",
    "来源": "12345",
    "受理日期": "2025-06-02",
    "来件人": "家属（母亲）",
    "所属街道": "宁海路街道",
    "事由": "咨询护理补贴",
    "类别": "补贴",
}
CASE_FORM = {
    "source": "12345",
    "received_on": "2025-06-02",
    "petitioner": "家属（母亲）",
    "subject": "咨询护理补贴",
    "category": "subsidy",
}
CASE_API = {
    "source": "12345",
    "received_on": "2025-06-02",
    "petitioner": "家属（母亲）",
    "street": "宁海路街道",
    "subject": "咨询护理补贴",
    "category": "subsidy",
}


def _import_messages(user, row: dict) -> list[str]:
    job = import_job_upload(
        acting_user=user, resource="cases", file_name="规则.xlsx", data=workbook_bytes([row])
    )
    assert job.status == job.Status.REJECTED
    # the preview adds the value found in the cell: "…（填写的是：2023-03-01）"
    return [re.sub(r"（填写的是：[^）]*）$", "", error["message"]) for error in job.errors]


def _admin_import_messages(user, row: dict) -> list[str]:
    dataset = tablib.Dataset([*row.values()], headers=list(row))
    result = get_resource_class("cases")().import_data(dataset, dry_run=True, user=user)
    messages = [m for invalid in result.invalid_rows for ms in invalid.error_dict.values() for m in ms]
    messages += [str(error.error) for _, errors in result.row_errors() for error in errors]
    return messages


def _api_messages(response) -> list[str]:
    return [message for messages in response.json().values() for message in messages]


def test_a_deadline_before_receipt_is_refused_on_every_door(client_for, clerk_user, own_street):
    client = client_for(clerk_user)

    page = client.post(
        reverse("cases:case_create"), {**CASE_FORM, "street": own_street.pk, "deadline": "2025-06-01"}
    )
    api = client.post(
        reverse("cases_api:case-list"),
        {**CASE_API, "deadline": "2025-06-01"},
        content_type="application/json",
    )

    assert page.status_code == 200 and DEADLINE_BEFORE_RECEIPT in page.content.decode()
    assert api.status_code == 400 and _api_messages(api) == [DEADLINE_BEFORE_RECEIPT]
    assert _import_messages(clerk_user, {**ROW, "办理期限": "2025-06-01"}) == [DEADLINE_BEFORE_RECEIPT]
    assert _admin_import_messages(clerk_user, {**ROW, "办理期限": "2025-06-01"}) == [DEADLINE_BEFORE_RECEIPT]
    assert not Case.objects.exists()


def test_closing_without_a_reply_is_refused_on_every_door(client_for, clerk_user, own_street):
    case = CaseFactory(street=own_street, received_on=dt.date(2025, 6, 2), deadline=dt.date(2025, 6, 9))
    client = client_for(clerk_user)

    page = client.post(
        reverse("cases:case_close", args=[case.pk]),
        {"reply": "", "outcome": "resolved", "closed_on": "2025-06-06", "satisfaction": "unrated"},
    )
    api = client.post(
        reverse("cases_api:case-close", args=[case.pk]),
        {"reply": "", "outcome": "resolved", "closed_on": "2025-06-06"},
        content_type="application/json",
    )
    row = {**ROW, "办理结果": "已解决", "办结日期": "2025-06-06"}

    assert page.status_code == 400 and CLOSE_NEEDS_REPLY in page.content.decode()
    assert api.status_code == 400 and _api_messages(api) == [CLOSE_NEEDS_REPLY]
    assert _import_messages(clerk_user, row) == [CLOSE_NEEDS_REPLY]
    assert _admin_import_messages(clerk_user, row) == [CLOSE_NEEDS_REPLY]
    assert not Case.objects.closed().exists()


def test_a_person_of_another_street_is_refused_on_every_door(
    client_for, staff_user, own_street, other_street
):
    stranger = PersonFactory(street=other_street)
    client = client_for(staff_user)

    page = client.post(
        reverse("cases:case_create"),
        {**CASE_FORM, "street": own_street.pk, "person_id_number": stranger.id_number},
    )
    api = client.post(
        reverse("cases_api:case-list"), {**CASE_API, "person": stranger.pk}, content_type="application/json"
    )
    row = {**ROW, "公民身份号码": stranger.id_number}

    assert page.status_code == 200 and PERSON_OF_OTHER_STREET in page.content.decode()
    assert api.status_code == 400 and _api_messages(api) == [PERSON_OF_OTHER_STREET]
    assert _import_messages(staff_user, row) == [PERSON_OF_OTHER_STREET]
    assert _admin_import_messages(staff_user, row) == [PERSON_OF_OTHER_STREET]
    assert not Case.objects.exists()


def test_an_action_after_closing_is_refused_on_the_page_and_the_api(client_for, clerk_user, own_street):
    """Actions are not imported (the backlog template carries cases); the admin shows them only."""
    case = CaseFactory(street=own_street, received_on=dt.date(2025, 6, 2), deadline=dt.date(2025, 6, 9))
    close_case(clerk_user, case, dt.date(2025, 6, 6))
    client = client_for(clerk_user)

    page = client.post(
        reverse("cases:case_action", args=[case.pk]), {"done_on": "2025-06-06", "note": "回访"}
    )
    api = client.post(
        reverse("cases_api:case-actions", args=[case.pk]),
        {"done_on": "2025-06-06", "note": "回访"},
        content_type="application/json",
    )

    assert page.status_code == 400 and ACTION_AFTER_CLOSING in page.content.decode()
    assert api.status_code == 400 and _api_messages(api) == [ACTION_AFTER_CLOSING]
    assert not CaseAction.objects.exists()
