"""The uploaded workbook marked with its errors, to fix in Excel in one pass.

The stored upload (it passed the guard when it was previewed, and passes it again here) is read with
the importer's own reader and written again through the portal's one writer (sheets/xlsx.py): text
that would run as a formula stays neutralised, every cell with an error is filled red and carries the
messages as a comment, a row-level error (no column) marks the row's first cell.
"""

from __future__ import annotations

from collections import defaultdict

from sheets import cleaning, excel, xlsx
from sheets.engine import _header_name

ROW_MESSAGE_PREFIX = "本行："


def marks_by_row(errors: list[dict], header: list) -> dict[int, dict[int, str]]:
    """{Excel row: {0-based column: the messages of that cell, one per line}}."""
    positions = {}
    for index, cell in enumerate(header):
        if not cleaning.is_empty(cell):
            positions.setdefault(_header_name(cell), index)
    messages: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        row = error.get("row")
        if not row:
            continue
        column = positions.get(error.get("column") or "")
        if column is None:
            # a row-level error, or a column the sheet lacks: on the row's first cell
            label = f"{error['column']}：" if error.get("column") else ROW_MESSAGE_PREFIX
            messages[row][0].append(f"{label}{error['message']}")
        else:
            messages[row][column].append(error["message"])
    return {
        row: {column: "\n".join(texts) for column, texts in cells.items()} for row, cells in messages.items()
    }


def marked_copy(data: bytes, errors: list[dict], title: str) -> bytes:
    """The workbook (its first sheet, written as a sheet named `title`) with the errors of an import
    report marked. Raises excel.BadFile."""
    sheet = excel.open_sheet(data)
    writer = xlsx.WorkbookWriter()
    try:
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            raise excel.BadFile(excel.MESSAGE_EMPTY_SHEET)
        header_row, header = first
        marks = marks_by_row(errors, header)
        columns = [xlsx.Column(str(cell) if cell not in (None, "") else "", width=16) for cell in header]
        out = writer.add_sheet(title, columns, header=False, freeze=False)
        for _ in range(header_row - 1):
            out.append([])
        out.append_styled(list(header), font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL)
        for number, cells in rows:
            out.append([None if cell == "" else cell for cell in cells], marks=marks.get(number))
    finally:
        sheet.close()
    return writer.save()
