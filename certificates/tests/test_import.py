"""The applications template: preview, row and column errors, all or nothing, the service's rules."""

import pytest

from certificates.models import Application, ApplicationStep
from certificates.tests import factories as f
from imports.resources import RESOURCE_NAMES, get_resource_class
from imports.services import run_import
from imports.tests.factories import sheet_bytes
from sheets.excel import build_template

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]


def _workbook(rows) -> bytes:
    return sheet_bytes([f.APPLICATION_HEADER, *rows])


def test_applications_template_is_registered_after_the_ten_existing_ones():
    assert RESOURCE_NAMES[10] == "certificate_applications" and len(RESOURCE_NAMES) > 11
    assert [
        field.column_name for field in get_resource_class("certificate_applications").portal_fields()
    ] == f.APPLICATION_HEADER


def test_import_takes_rows_in_as_received_applications(staff_user):
    data = _workbook(
        [
            ["张三", f.new_id_number(), "新办", "", "2025-05-06", "宁海路", "", "13912345678", "宁海路1号"],
            ["李四", f.new_id_number(), "迁入", "", "2025-05-07", "华侨路街道", "", "", ""],
        ]
    )
    preview = run_import("certificate_applications", data, user=staff_user, dry_run=True)
    assert preview.accepted and preview.created == 2 and not Application.objects.exists()
    report = run_import("certificate_applications", data, user=staff_user)
    assert report.accepted, report.errors
    assert Application.objects.count() == 2 and ApplicationStep.objects.filter(kind="intake").count() == 2
    assert set(Application.objects.values_list("received_by", flat=True)) == {staff_user.pk}


def test_import_is_all_or_nothing_with_row_and_column_of_each_error(staff_user):
    holder = f.issued_new()
    other_holder = f.issued_new()
    data = _workbook(
        [
            ["张三", f.new_id_number(), "新办", "", "2025-05-06", "宁海路", "", "", ""],
            ["王五", "320106198503040001", "新办", "", "2025-05-06", "宁海路", "", "", ""],
            ["赵六", holder.id_number, "新办", "", "2025-05-06", "宁海路", "", "", ""],
            ["钱七", other_holder.id_number, "换领", "", "2025-05-06", "宁海路", "", "", ""],
        ]
    )
    before = Application.objects.count()
    report = run_import("certificate_applications", data, user=staff_user)
    errors = {(e["row"], e["column"]): e["message"] for e in report.errors}
    assert errors[(3, "公民身份号码")] == "校验位错误（填写的是：320106198503040001）"
    assert (
        errors[(4, "申请类型")]
        == "该身份证号码已持有有效残疾人证，只能申请换领、补领或注销（填写的是：新办）"
    )
    assert "换领须选择具体原因" in errors[(5, "具体原因")]
    assert Application.objects.count() == before


def test_clerk_cannot_import_another_streets_application(clerk_user):
    data = _workbook([["张三", f.new_id_number(), "新办", "", "2025-05-06", "华侨路", "", "", ""]])
    report = run_import("certificate_applications", data, user=clerk_user)
    assert report.errors[0]["column"] == "所属街道" and "其他街道" in report.errors[0]["message"]
    assert not Application.objects.exists()


def test_blank_template_opens_with_the_columns_in_the_importer(staff_user):
    content = build_template(get_resource_class("certificate_applications"))
    report = run_import("certificate_applications", content, user=staff_user, dry_run=True)
    # a blank template has its header and no rows: the importer says so, not a column error
    assert report.errors and report.errors[0]["row"] == 2
