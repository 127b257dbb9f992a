"""Workbooks for import tests, built with openpyxl, and ImportJob rows."""

import datetime as dt
import io
import itertools
from collections.abc import Iterable, Sequence

import factory
from openpyxl import Workbook, load_workbook

from core.idnumbers import make_id_number
from imports.models import ImportJob

PERSON_HEADERS = [
    "姓名",
    "公民身份号码",
    "残疾人证号",
    "残疾类别",
    "残疾等级",
    "发证日期",
    "所属街道",
    "所属社区",
    "居住地址",
    "联系电话",
    "人员状态",
    "状态变更日期",
]

# Birth dates no other factory uses, so that these ID numbers never collide with PersonFactory's.
_sequence = itertools.count(1)


def new_id_number(birth: dt.date = dt.date(1975, 3, 9)) -> str:
    return make_id_number("320106", birth, next(_sequence))


def person_row(**overrides) -> dict:
    """One valid persons row as {column: value}; override columns by their Chinese names."""
    row = {
        "姓名": "张三",
        "公民身份号码": new_id_number(),
        "残疾人证号": "",
        "残疾类别": "肢体",
        "残疾等级": "二级",
        "发证日期": dt.date(2015, 6, 1),
        "所属街道": "宁海路街道",
        "所属社区": "",
        "居住地址": "鼓楼区中山路1号",
        "联系电话": "13912345678",
        "人员状态": "正常",
        "状态变更日期": None,
    }
    row.update(overrides)
    return row


def sheet_bytes(rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    """A workbook whose first sheet holds `rows`, lists of cell values, as they are."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A surveys row of the questions every template has had since 2023, in the forms people type them
# (a yes as "是", "√", "N" or 1); the 公民身份号码 is the caller's.
SURVEY_ROW = {
    "公民身份号码": None,
    "调查年度": 2023,
    "家庭人口数": "3",
    "家庭年收入": 45600.5,
    "低保类别": "低保边缘",
    "符合低保条件": "是",
    "康复需求": "√",
    "辅具需求": "N",
    "托养需求": "",
    "无障碍改造需求": 1,
    "受教育状况": "不适用",
    "养老保险": "已参保",
    "医疗保险": "已参保",
}


def workbook_bytes(rows: list[dict], headers: list[str] | None = None, *, title: str = "Sheet1") -> bytes:
    """A workbook whose first sheet has `headers` (default: the keys of the first row) and `rows`."""
    headers = headers or list(rows[0])
    return sheet_bytes([headers, *([row.get(column) for column in headers] for row in rows)], title=title)


def persons_workbook(*rows: dict, headers: list[str] | None = None) -> bytes:
    return workbook_bytes(list(rows) or [person_row()], headers or PERSON_HEADERS)


def read_workbook(data: bytes) -> dict[str, list[tuple]]:
    """{sheet title: rows of values} of an .xlsx file."""
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    resource = "persons"
    file_name = "持证残疾人.xlsx"
    status = ImportJob.Status.READY
    row_count = 1


# Text a spreadsheet would run as a formula (or re-enter as one): every workbook the portal writes
# must carry these as plain text.
HOSTILE_TEXTS = ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


def neutralised(text: str) -> str:
    """What an openpyxl load shows for `text` written by the portal's writer (XML reads CR as LF)."""
    return "'" + text.replace("\r", "\n")


def assert_plain_text(cell, text: str) -> None:
    """`cell` holds `text` as a string with the apostrophe prefix, never as a formula."""
    assert cell.data_type == "s", (text, cell.data_type)
    assert cell.value == neutralised(text), (text, cell.value)
