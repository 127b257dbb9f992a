"""The cases template: its columns, the backlog imported with computed deadlines, idempotent by 编号,
all or nothing with row and column errors, the clerk's scope."""

import pytest

from cases.models import Case
from imports.resources import get_resource_class
from imports.services import import_job_confirm, import_job_upload
from imports.tests.factories import sheet_bytes, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]
HEADER = [
    "编号", "来源", "受理日期", "公民身份号码", "来件人", "联系电话", "所属街道", "事由", "类别",
    "办理期限", "承办人（单位）", "答复内容", "答复日期", "办理结果", "满意度", "办结日期",
]  # fmt: skip


def _row(**kwargs):
    row = {
        "编号": "XF-2025-001",
        "来源": "来信",
        "受理日期": "2025-01-24",
        "来件人": "家属（父亲）",
        "所属街道": "宁海路",
        "事由": "咨询送教上门",
        "类别": "教育",
    }
    row.update(kwargs)
    return row


def _import(user, *rows):
    job = import_job_upload(
        acting_user=user, resource="cases", file_name="信访.xlsx", data=workbook_bytes(list(rows), HEADER)
    )
    if job.status == job.Status.READY:
        job = import_job_confirm(acting_user=user, job=job)
    return job


def test_template_columns():
    assert [field.column_name for field in get_resource_class("cases").portal_fields()] == HEADER


def test_backlog_rows_are_imported_with_their_rule_deadlines_and_closings(clerk_user, person):
    job = _import(
        clerk_user,
        _row(),  # 来信 received before 春节: 15 working days -> 2025-02-20
        _row(**{"编号": "RD-2025-01", "来源": "人大建议", "受理日期": "2025-03-10", "办理期限": "2025-06-10",
                "来件人": "区人大代表", "答复内容": "已书面答复", "办理结果": "已解决", "办结日期": "2025-06-05",
                "满意度": "满意"}),
        _row(**{"编号": "12345-0001", "来源": "12345", "公民身份号码": person.id_number, "来件人": ""}),
    )  # fmt: skip

    assert job.status == job.Status.DONE, job.errors
    letter, proposal, hotline = (
        Case.objects.get(number=n) for n in ("XF-2025-001", "RD-2025-01", "12345-0001")
    )
    assert (
        str(letter.deadline) == "2025-02-20"
        and letter.deadline_from_rule
        and letter.satisfaction == "unrated"
    )
    assert (
        proposal.closed_on_time and not proposal.deadline_from_rule and proposal.satisfaction == "satisfied"
    )
    assert hotline.person == person and hotline.history.get().history_user == clerk_user


def test_importing_the_same_file_twice_creates_nothing_and_a_change_updates(clerk_user):
    _import(clerk_user, _row())

    again = _import(clerk_user, _row())
    changed = _import(clerk_user, _row(**{"事由": "申请送教上门"}))

    assert (again.created, again.updated) == (0, 0)
    assert (changed.created, changed.updated) == (0, 1)
    assert Case.objects.get().subject == "申请送教上门"


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(clerk_user):
    job = _import(
        clerk_user,
        _row(**{"编号": "A"}),
        _row(**{"编号": "B", "来源": "人大建议"}),
        _row(**{"编号": "C", "所属街道": "华侨路街道"}),
    )

    assert job.status == job.Status.REJECTED
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert errors[(3, "办理期限")].startswith("人大建议、政协提案须填写办理期限")
    assert errors[(4, "所属街道")].startswith("无权操作其他街道的记录")
    assert not Case.objects.exists()


def test_export_of_the_filtered_list_round_trips(client_for, clerk_user, own_street, other_street):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from cases.tests.factories import CaseFactory

    CaseFactory(street=own_street, number="OWN-1", source="letter")
    CaseFactory(street=own_street, number="OWN-2")
    CaseFactory(street=other_street, number="OTHER-1", source="letter")

    response = client_for(clerk_user).get(
        reverse("imports:export"), {"resource": "cases", "source": "letter"}
    )

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and [row[0] for row in rows[1:]] == ["OWN-1"]
    job = import_job_upload(acting_user=clerk_user, resource="cases", file_name="导出.xlsx", data=_xlsx(rows))
    assert job.status == job.Status.READY and (job.created, job.updated) == (0, 0), job.errors


def _xlsx(rows) -> bytes:
    return sheet_bytes(list(row) for row in rows)
