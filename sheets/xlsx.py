"""The one workbook writer: every .xlsx file the portal produces is built here.

List exports, the archive, blank templates and their 填写说明 sheet, gap lists, the dashboard
export and the admin's export all go through `WorkbookWriter`, so that each of them

- neutralises text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
  return first): it gets a leading apostrophe, which the importer strips again
  (sheets/cleaning.py), so exported records import back unchanged;
- writes numbers and dates as typed cells with a number format (percent, 0.00, yyyy-mm-dd);
- has a bold, frozen header row;
- streams (openpyxl write-only): rows go to the file as they come, so memory does not grow with
  the number of rows.

No other module calls `openpyxl.Workbook` (a test greps the code base for it).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sheets import cleaning

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A written workbook as a download named `filename` (RFC 5987: the names are Chinese)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# A text cell starting with one of these would run as a formula (or be split into one) when a
# spreadsheet opens or re-enters it; the writer puts FORMULA_PREFIX in front, the importer strips it.
FORMULA_PREFIX = cleaning.FORMULA_PREFIX
FORMULA_TRIGGERS = (*cleaning.FORMULA_CHARS, "\t", "\r")

# Number formats.
TEXT = "@"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
MONEY = "0.00"
DECIMAL = "0.00"
PERCENT = "0.0%"
INTEGER = "0"

DEFAULT_WIDTH = 16
# Drop-down lists of templates reach this far down.
VALIDATION_LAST_ROW = 10000

HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="FF9999")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (stripped on import)."""
    if text and text[0] in FORMULA_TRIGGERS:
        return FORMULA_PREFIX + text
    return text


@dataclass(frozen=True)
class Column:
    """One column: its header, width and the number format of its numbers and dates.

    `number_format` also becomes the column's own format (a template's empty cells take it as the
    clerk types), and "@" keeps digits typed there as text. `required` paints the header red (a
    template's required column); `choices` adds a drop-down list (ignored when too long for Excel).
    """

    header: str
    width: float = DEFAULT_WIDTH
    number_format: str | None = None
    required: bool = False
    choices: tuple[str, ...] = ()


class SheetWriter:
    """One streamed worksheet: `append` a row of values, or `extend` with many; `rows` counts them."""

    def __init__(self, worksheet, columns: Sequence[Column], *, header: bool, freeze: bool | str) -> None:
        self._sheet = worksheet
        self._formats = [column.number_format for column in columns]
        self.rows = 0
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            dimension = worksheet.column_dimensions[letter]
            dimension.width = column.width
            if column.number_format:
                dimension.number_format = column.number_format
            if column.choices and len(",".join(column.choices)) < 250:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(column.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=False,
                )
                validation.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
                worksheet.data_validations.append(validation)
        if header:
            if freeze:
                # True: the header row; a cell ("B2"): the header row and the columns left of it
                worksheet.freeze_panes = freeze if isinstance(freeze, str) else "A2"
            self._sheet.append(
                [
                    self._styled(
                        column.header,
                        font=REQUIRED_FONT if column.required else HEADER_FONT,
                        fill=HEADER_FILL,
                    )
                    for column in columns
                ]
            )

    def append(
        self,
        values: Sequence,
        *,
        formats: Sequence[str | None] | None = None,
        marks: dict[int, str] | None = None,
    ) -> None:
        """A data row: text neutralised, numbers and dates typed with their column's format, or
        with `formats` where a row's figures differ in kind (a rate in one row, a sum in another).
        `marks` (0-based column -> message) fills those cells red with the message as a comment
        (the copy of an uploaded workbook marked with its errors)."""
        if formats is None:
            formats = self._formats
        else:
            formats = [own or column for own, column in zip_longest(formats, self._formats)]
        width = len(formats)
        cells = [
            self._cell(value, formats[index] if index < width else None) for index, value in enumerate(values)
        ]
        for index, message in (marks or {}).items():
            cells.extend([None] * (index + 1 - len(cells)))
            cell = cells[index]
            if not isinstance(cell, Cell):
                cell = WriteOnlyCell(self._sheet, value=cell)
            cell.fill = ERROR_FILL
            comment = Comment(message[:30000], "鼓楼区残联服务平台")
            comment.width, comment.height = 300, 120
            cell.comment = comment
            cells[index] = cell
        self._sheet.append(cells)
        self.rows += 1

    def extend(self, rows: Iterable[Sequence]) -> int:
        """Append every row; returns how many."""
        before = self.rows
        for values in rows:
            self.append(values)
        return self.rows - before

    def append_styled(
        self, values: Sequence, *, font: Font | None = None, fill=None, wrap: bool = False
    ) -> None:
        """A row of text in one style (the titles and tables of an instructions sheet)."""
        self._sheet.append(
            [
                self._styled(value, font=font, fill=fill, alignment=WRAP if wrap else None)
                if value is not None
                else None
                for value in values
            ]
        )
        self.rows += 1

    def blank_rows(self, count: int) -> None:
        """Empty rows whose cells carry their column's number format (a template's data area)."""
        formats = self._formats
        for _ in range(count):
            row = []
            for number_format in formats:
                if number_format:
                    cell = WriteOnlyCell(self._sheet)
                    cell.number_format = number_format
                    row.append(cell)
                else:
                    row.append(None)
            self._sheet.append(row)

    def _cell(self, value, number_format: str | None):
        if value is None:
            return None
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float | Decimal):
            if isinstance(value, float) and not math.isfinite(value):
                return None
            if number_format is None and isinstance(value, Decimal):
                number_format = DECIMAL
            return self._typed(value, number_format)
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            return self._typed(value, number_format or DATETIME)
        if isinstance(value, dt.date):
            return self._typed(value, number_format or DATE)
        return self._text(str(value))

    def _typed(self, value, number_format: str | None):
        if number_format is None or number_format == TEXT:
            return value
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.number_format = number_format
        return cell

    def _text(self, value: str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        value = neutralise(value)
        if value in ERROR_CODES:  # "#N/A" typed as a name stays text, not an error cell
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    def _styled(self, value, *, font=None, fill=None, alignment=None):
        cell = self._cell(value, None)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(self._sheet, value=cell)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        return cell


class WorkbookWriter:
    """A streamed workbook. `output` is a path or a binary file; without one, `save()` returns the
    bytes. Sheets are written one after the other: fill a sheet before adding the next."""

    def __init__(self, output=None) -> None:
        self._output = output
        self._workbook = Workbook(write_only=True)

    def add_sheet(
        self, title: str, columns: Sequence[Column], *, header: bool = True, freeze: bool | str = True
    ) -> SheetWriter:
        """A new sheet (title cut to Excel's 31 characters) with `columns`' header written."""
        worksheet = self._workbook.create_sheet(title[:31])
        return SheetWriter(worksheet, columns, header=header, freeze=freeze)

    def write_sheet(self, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
        """A sheet of `rows` under `columns`' header; returns the number of rows."""
        return self.add_sheet(title, columns).extend(rows)

    def save(self) -> bytes | None:
        if self._output is None:
            buffer = io.BytesIO()
            self._workbook.save(buffer)
            return buffer.getvalue()
        self._workbook.save(self._output)
        return None
