"""The one workbook writer (sheets/xlsx.py) and the doors that use it: list exports, the archive,
blank templates and the admin's export. Gap lists and the dashboard export: indicators/tests."""

import datetime as dt
import io
import os
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from imports.resources import get_resource_class
from imports.services import run_import
from imports.tests.factories import HOSTILE_TEXTS, assert_plain_text, neutralised
from registry.models import Person
from registry.resources import PersonResource
from registry.tests.factories import CommunityFactory, PersonFactory
from sheets import xlsx
from sheets.admin import PortalXLSX
from sheets.exports import write_export

REPO_ROOT = Path(__file__).resolve().parents[2]
WRITER = REPO_ROOT / "sheets" / "xlsx.py"
# Leading characters whose text imports back exactly (the importer strips leading whitespace).
ROUND_TRIP_TEXTS = [text for text in HOSTILE_TEXTS if text[0] not in "\t\r"]


def written(build) -> bytes:
    writer = xlsx.WorkbookWriter()
    build(writer)
    return writer.save()


def load(data: bytes):
    return load_workbook(io.BytesIO(data))


def cells_holding(workbook, texts) -> dict[str, object]:
    """{original text: the cell of any sheet that holds it neutralised}."""
    wanted = {neutralised(text): text for text in texts}
    found = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in wanted:
                    found[wanted[cell.value]] = cell
    return found


# ---------------------------------------------------------------------------------------------
# The writer


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_text_a_spreadsheet_would_run_is_written_as_plain_text_with_an_apostrophe(text):
    data = written(lambda w: w.add_sheet("名单", [xlsx.Column("姓名")]).append([text]))

    assert_plain_text(load(data).active["A2"], text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("张三", "张三"), ("it's", "it's"), ("a=b", "a=b"), ("#N/A", "#N/A"), ("张\x00三", "张三")],
)
def test_ordinary_text_is_written_as_text_unchanged(value, expected):
    data = written(lambda w: w.add_sheet("名单", [xlsx.Column("姓名")]).append([value]))

    cell = load(data).active["A2"]
    assert (cell.value, cell.data_type) == (expected, "s")


def test_numbers_and_dates_are_typed_cells_with_number_formats():
    columns = [
        xlsx.Column("日期"),
        xlsx.Column("金额", number_format=xlsx.MONEY),
        xlsx.Column("比例", number_format=xlsx.PERCENT),
        xlsx.Column("小数"),
        xlsx.Column("人数"),
        xlsx.Column("号码", number_format=xlsx.TEXT),
    ]
    row = [dt.date(2023, 5, 6), 150.5, 0.975, Decimal("12.30"), 42, "13912345678"]

    sheet = load(written(lambda w: w.add_sheet("数", columns).append(row))).active

    cells = sheet[2]
    assert cells[0].is_date and cells[0].value == dt.datetime(2023, 5, 6)
    assert cells[0].number_format == "yyyy-mm-dd"
    assert (cells[1].value, cells[1].data_type, cells[1].number_format) == (150.5, "n", "0.00")
    assert (cells[2].value, cells[2].data_type, cells[2].number_format) == (0.975, "n", "0.0%")
    assert (cells[3].value, cells[3].number_format) == (12.3, "0.00")
    assert (cells[4].value, cells[4].data_type) == (42, "n")
    assert (cells[5].value, cells[5].data_type) == ("13912345678", "s")
    assert sheet.column_dimensions["F"].number_format == "@"


def test_a_row_may_override_its_columns_formats():
    def build(writer):
        sheet = writer.add_sheet("指标", [xlsx.Column("值", number_format=xlsx.DECIMAL)])
        sheet.append([0.5], formats=[xlsx.PERCENT])
        sheet.append([750])

    sheet = load(written(build)).active

    assert (sheet["A2"].number_format, sheet["A3"].number_format) == ("0.0%", "0.00")


def test_aware_datetimes_are_written_in_shanghai_time_as_dates_with_times():
    moment = dt.datetime(2025, 3, 1, 0, 30, tzinfo=dt.UTC)

    cell = load(written(lambda w: w.add_sheet("日志", [xlsx.Column("时间")]).append([moment]))).active["A2"]

    assert cell.value == dt.datetime(2025, 3, 1, 8, 30)
    assert cell.number_format == "yyyy-mm-dd hh:mm"


def test_header_is_bold_and_frozen_and_columns_have_their_width():
    columns = [xlsx.Column("姓名", width=12), xlsx.Column("公民身份号码", width=22, required=True)]

    sheet = load(written(lambda w: w.add_sheet("名单", columns).append(["张三", "x"]))).active

    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["姓名", "公民身份号码"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["B1"].font.color.rgb.endswith("C00000")
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (12, 22)


def test_writer_streams_through_write_only_worksheets():
    writer = xlsx.WorkbookWriter()
    sheet = writer.add_sheet("名单", [xlsx.Column("姓名")])

    assert sheet.extend(["张三"] for _ in range(3)) == 3
    assert writer._workbook.write_only
    assert len(load(writer.save()).active["A"]) == 4


def test_no_module_but_the_writer_builds_a_workbook():
    """`Workbook(` and xlsxwriter appear only in sheets/xlsx.py (tests and benchmarks aside)."""
    pattern = re.compile(r"\bWorkbook\(|\bxlsxwriter\b|\.export\(\s*[\"']xlsx[\"']")
    skipped = {".git", ".venv", "node_modules", "tests", "benchmarks", "__pycache__", "staticfiles"}
    offenders = []
    for directory, subdirectories, files in os.walk(REPO_ROOT):
        subdirectories[:] = [d for d in subdirectories if d not in skipped and not d.startswith(".")]
        for name in files:
            path = Path(directory) / name
            if name.endswith(".py") and path != WRITER and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(REPO_ROOT)))

    assert offenders == []
    assert "Workbook(write_only=True)" in WRITER.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The doors that write workbooks


@pytest.fixture
def hostile_persons(db):
    community = CommunityFactory(name="-社区")
    return [PersonFactory(name=text, community=community) for text in HOSTILE_TEXTS]


def test_list_export_writes_hostile_names_as_plain_text(client_for, staff_user, hostile_persons):
    response = client_for(staff_user).get(reverse("imports:export") + "?resource=persons")

    workbook = load(b"".join(response.streaming_content))
    found = cells_holding(workbook, [*HOSTILE_TEXTS, "-社区"])
    assert set(found) == {*HOSTILE_TEXTS, "-社区"}
    for text, cell in found.items():
        assert_plain_text(cell, text)
    sheet = workbook["持证残疾人"]
    assert sheet.freeze_panes == "A2"
    assert sheet["F2"].is_date and sheet["F2"].number_format == "yyyy-mm-dd"  # 发证日期


@pytest.mark.django_db
def test_exported_hostile_names_import_back_unchanged():
    persons = [PersonFactory(name=text) for text in ROUND_TRIP_TEXTS]
    resource_cls = get_resource_class("persons")
    output = io.BytesIO()
    write_export(resource_cls, Person.objects.all(), output)

    report = run_import("persons", output.getvalue())

    assert report.accepted, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(persons))
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(ROUND_TRIP_TEXTS)


@pytest.mark.django_db
def test_exported_money_is_a_typed_cell_with_two_decimals():
    from subsidies.models import Grant
    from subsidies.tests.factories import GrantFactory

    GrantFactory(monthly_amount=Decimal("150.50"))
    output = io.BytesIO()
    write_export(get_resource_class("subsidies"), Grant.objects.all(), output)

    cell = load(output.getvalue())["补贴与救助"]["E2"]
    assert (cell.value, cell.data_type, cell.number_format) == (150.5, "n", "0.00")


def test_archive_writes_hostile_names_as_plain_text(tmp_path, hostile_persons):
    path = tmp_path / "archive.xlsx"

    call_command("export_archive", str(path), stdout=StringIO())

    workbook = load(path.read_bytes())
    found = cells_holding(workbook, HOSTILE_TEXTS)
    assert set(found) == set(HOSTILE_TEXTS)
    for text, cell in found.items():
        assert_plain_text(cell, text)
    assert all(sheet.freeze_panes == "A2" for sheet in workbook)


def test_archive_directory_workbooks_write_hostile_names_as_plain_text(tmp_path, hostile_persons):
    call_command("export_archive", str(tmp_path / "archive"), stdout=StringIO())

    workbook = load((tmp_path / "archive" / "persons.xlsx").read_bytes())
    found = cells_holding(workbook, HOSTILE_TEXTS)
    assert set(found) == set(HOSTILE_TEXTS)
    for text, cell in found.items():
        assert_plain_text(cell, text)


def test_admin_export_writes_hostile_names_as_plain_text_with_typed_dates(hostile_persons):
    dataset = PersonResource().export(Person.objects.all())

    workbook = load(PortalXLSX().export_data(dataset))

    found = cells_holding(workbook, HOSTILE_TEXTS)
    assert set(found) == set(HOSTILE_TEXTS)
    for text, cell in found.items():
        assert_plain_text(cell, text)
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet["F2"].is_date and sheet["F2"].number_format == "yyyy-mm-dd"  # 发证日期


def test_admin_export_view_answers_a_neutralised_workbook(client_for, admin_user, hostile_persons):
    fields = {f"personresource_{name}": "on" for name in PersonResource().get_export_order()}
    response = client_for(admin_user).post(
        reverse("admin:registry_person_export"), {"format": "0", "resource": "0", **fields}
    )

    assert response.status_code == 200, response.content[:500]
    workbook = load(response.content)
    found = cells_holding(workbook, HOSTILE_TEXTS)
    assert set(found) == set(HOSTILE_TEXTS)
    for text, cell in found.items():
        assert_plain_text(cell, text)


def test_blank_template_has_frozen_header_text_formats_drop_downs_and_instructions(db):
    workbook = load(xlsx_template("persons"))

    sheet = workbook["持证残疾人"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["A1"].font.color.rgb.endswith("C00000")  # 姓名 is required
    assert sheet.column_dimensions["B"].number_format == "@"  # 公民身份号码 stays text
    assert sheet["B2"].number_format == "@" and sheet["F2"].number_format == "yyyy-mm-dd"
    assert any("视力" in (v.formula1 or "") for v in sheet.data_validations.dataValidation)
    notes = workbook["填写说明"]
    assert notes["A1"].value == "持证残疾人导入模板 — 填写说明" and notes["A1"].font.b
    assert [cell.value for cell in notes[8]] == ["列名", "是否必填", "填写要求", "可选值"]


def xlsx_template(name: str) -> bytes:
    from sheets.excel import build_template

    return build_template(get_resource_class(name))
