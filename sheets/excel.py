"""Reading uploaded workbooks (python-calamine) and writing the templates and exports of the ten
resources (through the portal's one writer, sheets/xlsx.py).

Reading rejects bad files with one Chinese message (BadFile). Writing streams, so memory does not
grow with the number of rows, and neutralises text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import count

from django.conf import settings
from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError

from sheets import xlsx

XLSX_CONTENT_TYPE = xlsx.XLSX_CONTENT_TYPE
INSTRUCTIONS_SHEET = "填写说明"

_ZIP_MAGIC = b"PK\x03\x04"
# Encrypted (password-protected) OOXML files and legacy .xls files are OLE compound documents.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

MESSAGE_TOO_LARGE = "文件过大：不能超过 {limit} MB，请拆分后分批导入"
MESSAGE_EMPTY_FILE = "文件是空的"
MESSAGE_ENCRYPTED = "工作簿设置了打开密码（已加密），无法读取：请在Excel中取消密码后另存为 .xlsx 再导入"
MESSAGE_LEGACY_XLS = "这是旧版 Excel 97-2003（.xls）文件：请在Excel中“另存为”Excel工作簿（.xlsx）后再导入"
MESSAGE_NOT_XLSX = "文件不是Excel工作簿（.xlsx）：请上传用Excel保存的 .xlsx 文件"
MESSAGE_CORRUPT = "文件已损坏或不是有效的Excel工作簿，无法读取：请用Excel打开检查后另存为 .xlsx 再导入"
MESSAGE_EMPTY_SHEET = "第一个工作表是空的：请把数据放在第一个工作表，第1行为列名，从第2行起填写数据"


class BadFile(Exception):
    """The whole file is refused; `row`/`column` when the message is about the header."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def max_file_bytes() -> int:
    return settings.IMPORT_MAX_FILE_BYTES


def check_size(size: int) -> None:
    if size > max_file_bytes():
        raise BadFile(MESSAGE_TOO_LARGE.format(limit=max(1, max_file_bytes() // (1024 * 1024))))
    if size == 0:
        raise BadFile(MESSAGE_EMPTY_FILE)


@dataclass
class Sheet:
    """The first worksheet: `rows()` yields (Excel row number, cells) from the first non-empty row."""

    workbook: CalamineWorkbook
    sheet: CalamineSheet
    first_row: int
    height: int

    def rows(self) -> Iterator[tuple[int, list]]:
        return zip(count(self.first_row), self.sheet.iter_rows())

    @property
    def data_rows_estimate(self) -> int:
        return max(self.height - 1, 0)

    def close(self) -> None:
        self.workbook.close()


def check_upload(data: bytes) -> None:
    """The checks every door runs before any parser reads an uploaded workbook: size, kind of file,
    and the guard (sheets/guard.py), which trusts nothing the file declares. Raises BadFile."""
    check_size(len(data))
    head = data[:8]
    if head == _OLE_MAGIC:
        raise BadFile(MESSAGE_ENCRYPTED if _ENCRYPTION_STREAM in data[:65536] else MESSAGE_LEGACY_XLS)
    if not data.startswith(_ZIP_MAGIC):
        raise BadFile(MESSAGE_NOT_XLSX)
    from sheets.guard import check_workbook  # the guard raises this module's BadFile

    check_workbook(data)


def open_sheet(data: bytes) -> Sheet:
    """Open the first worksheet of an .xlsx file or raise BadFile with the reason a clerk can act on."""
    check_upload(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise BadFile(MESSAGE_EMPTY_SHEET)
        sheet = workbook.get_sheet_by_index(0)
        start, height = sheet.start, sheet.height
    except BadFile:
        raise
    except PasswordError:
        raise BadFile(MESSAGE_ENCRYPTED) from None
    except Exception:  # calamine raises several error types for broken zips and XML
        raise BadFile(MESSAGE_CORRUPT) from None
    if start is None or height == 0:
        raise BadFile(MESSAGE_EMPTY_SHEET)
    return Sheet(workbook=workbook, sheet=sheet, first_row=start[0] + 1, height=height)


def count_data_rows(data: bytes) -> int:
    """Rows below the header (an upper bound: trailing empty rows count). Raises BadFile."""
    sheet = open_sheet(data)
    try:
        return sheet.data_rows_estimate
    finally:
        sheet.close()


# ---------------------------------------------------------------- writing
# Templates and exports of the ten resources, through the portal's one writer (sheets/xlsx.py).

_INSTRUCTION_WIDTHS = (16, 22, 70, 60)
_INSTRUCTION_HEADER = ["列名", "是否必填", "填写要求", "可选值"]


_INSTRUCTION_NOTES = (
    "1. 只读取第一个工作表；第1行为列名（不要修改列名，列的顺序可以调整），从第2行起每行一条记录。",
    "2. 红色列名为必填列；多出的列会被忽略。同一文件中有任何一行出错，整个文件都不会导入。",
    "3. 日期可写作 2023-05-06、2023/5/6、2023.5.6 或 2023年5月6日；月份可写作 2023-05、2023/5 或 2023年5月。",
    "4. 是/否列可填 是/否、Y/N、1/0、√/×，空白视为“否”。公民身份号码请设为文本格式。",
    "5. 导出文件中以 = + - @、制表符或回车开头的文字前加了英文单引号 ' 以防被当作公式，导入时会自动去掉。",
)


def _write_instructions(writer: xlsx.WorkbookWriter, resource_cls) -> None:
    sheet = writer.add_sheet(
        INSTRUCTIONS_SHEET, [xlsx.Column("", width=width) for width in _INSTRUCTION_WIDTHS], header=False
    )
    sheet.append_styled([f"{resource_cls.import_title}导入模板 — 填写说明"], font=xlsx.TITLE_FONT)
    for note in _INSTRUCTION_NOTES:
        sheet.append([note])
    sheet.append([])
    sheet.append_styled(_INSTRUCTION_HEADER, font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL)
    for field in resource_cls.portal_fields():
        required = "必填" if field.required else (field.required_note or "选填")
        sheet.append_styled(
            [field.column_name, required, field.rule, "、".join(field.widget.choices())], wrap=True
        )


def _columns(resource_cls, *, choices: bool) -> list[xlsx.Column]:
    return [
        xlsx.Column(
            field.column_name,
            width=field.width,
            number_format=field.widget.number_format,
            required=field.required,
            choices=tuple(field.widget.choices()) if choices else (),
        )
        for field in resource_cls.portal_fields()
    ]


def build_template(resource_cls) -> bytes:
    """A blank template: headers (required ones in red), column formats, drop-down lists for code
    lists, and the 填写说明 sheet."""
    writer = xlsx.WorkbookWriter()
    sheet = writer.add_sheet(resource_cls.import_title, _columns(resource_cls, choices=True))
    sheet.blank_rows(200)
    _write_instructions(writer, resource_cls)
    return writer.save()


class ExportWriter:
    """Streams resources into one workbook, one sheet per resource, in their templates' columns."""

    def __init__(self, output) -> None:
        self.writer = xlsx.WorkbookWriter(output)

    def add_resource(self, resource_cls, instances: Iterable, *, title: str | None = None) -> int:
        sheet = self.writer.add_sheet(
            title or resource_cls.import_title, _columns(resource_cls, choices=False)
        )
        getters = [_getter(field) for field in resource_cls.portal_fields()]
        return sheet.extend([render(instance) for render in getters] for instance in instances)

    def add_instructions(self, resource_cls) -> None:
        _write_instructions(self.writer, resource_cls)

    def save(self) -> None:
        self.writer.save()


def _getter(field):
    """instance -> exported cell value, through the field's widget."""
    path = field.attribute.split("__")
    widget = field.widget

    def get(instance):
        value = instance
        for attr in path:
            value = getattr(value, attr, None)
            if value is None:
                break
        return widget.render(value)

    return get
