"""Bad files get one clear Chinese message and write nothing."""

import io
import zipfile

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook, workbook_bytes
from registry.models import Person

pytestmark = pytest.mark.django_db


def only_message(report) -> str:
    assert len(report.errors) == 1, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not Person.objects.exists()
    return report.errors[0]["message"]


def test_a_text_file_is_not_a_workbook():
    assert "不是Excel工作簿" in only_message(run_import("persons", "姓名,公民身份号码\n张三,1\n".encode()))


def test_a_zip_that_is_not_a_workbook_is_reported_as_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "已损坏" in only_message(run_import("persons", buffer.getvalue()))


def test_a_truncated_workbook_is_reported_as_corrupt():
    data = persons_workbook(person_row())
    assert "已损坏" in only_message(run_import("persons", data[: len(data) // 2]))


def test_a_password_protected_workbook_asks_to_remove_the_password():
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(persons_workbook(person_row()))).encrypt("Secret-2025", encrypted)

    assert "密码" in only_message(run_import("persons", encrypted.getvalue()))


def test_a_legacy_xls_file_asks_to_save_as_xlsx():
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    assert ".xls" in only_message(run_import("persons", legacy))


def test_an_empty_file_is_reported():
    assert "空" in only_message(run_import("persons", b""))


def test_an_empty_first_sheet_is_reported():
    workbook = Workbook()
    workbook.create_sheet("数据").append(["姓名"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert "第一个工作表是空的" in only_message(run_import("persons", buffer.getvalue()))


def test_a_sheet_with_only_the_header_is_reported():
    data = workbook_bytes([], ["姓名", "公民身份号码", "残疾类别", "残疾等级", "发证日期", "所属街道"])
    assert "没有数据行" in only_message(run_import("persons", data))


def test_missing_required_columns_are_named():
    data = workbook_bytes([{"姓名": "张三", "居住地址": "x"}])

    report = run_import("persons", data)

    message = only_message(report)
    for column in ("公民身份号码", "残疾类别", "残疾等级", "发证日期", "所属街道"):
        assert column in message
    assert "姓名" not in message.split("：", 1)[1].split("（")[0]
    assert report.errors[0]["row"] == 1


def test_one_missing_column_is_the_errors_column():
    row = person_row()
    del row["所属街道"]

    report = run_import("persons", workbook_bytes([row]))

    assert report.errors == [
        {"row": 1, "column": "所属街道", "message": "缺少必填列：所属街道（第1行应为列名，请使用导入模板）"}
    ]


def test_a_column_twice_is_reported():
    data = workbook_bytes([person_row()], [*person_row(), "姓名"])
    assert "出现了两次" in only_message(run_import("persons", data))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024

    assert "不能超过" in only_message(run_import("persons", persons_workbook(person_row()) + bytes(2048)))


def test_header_markers_of_required_columns_are_tolerated():
    row = person_row()
    headers = [f"{column}*" if column in ("姓名", "公民身份号码") else column for column in row]
    data = workbook_bytes([dict(zip(headers, row.values(), strict=True))], headers)

    report = run_import("persons", data)

    assert report.accepted, report.errors
