"""Hostile workbooks, written by hand with zipfile: tiny files that once cost the server its life.

Used by test_hostile_files.py and benchmarks/hostile_files.py. Every builder returns the .xlsx bytes
(or writes them to a path, for the big ones), with a persons header row so that only the hostile
part differs from a real upload.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from imports.tests.factories import PERSON_HEADERS

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="持证残疾人" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
SHEET = "xl/worksheets/sheet1.xml"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_row() -> str:
    cells = "".join(
        f'<c r="{column_letters(i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(PERSON_HEADERS, start=1)
    )
    return f'<row r="1">{cells}</row>'


def sheet_xml(rows: str, *, dimension: str | None = None) -> str:
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dimension_xml}<sheetData>{header_row()}{rows}</sheetData></worksheet>"


def package(sheet: str | bytes, *, shared_strings: str | None = None, extra_parts: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_common(archive)
        archive.writestr(SHEET, sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for index in range(extra_parts):
            archive.writestr(f"docProps/custom{index}.xml", "<x/>")
    return buffer.getvalue()


def _write_common(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", WORKBOOK)
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)


# ---------------------------------------------------------------- the extent of the sheet


def corner_cell() -> bytes:
    """One header row and one cell at XFD1048576: the reader would allocate 512 GiB."""
    return package(sheet_xml('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def last_row() -> bytes:
    return package(sheet_xml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>'))


def last_column() -> bytes:
    return package(sheet_xml('<row r="2"><c r="XFD2"><v>1</v></c></row>'))


def padded_reference() -> bytes:
    """XFD1048576 behind leading zeros: a scanner reading a fixed number of digits would see row 0."""
    return package(sheet_xml('<row r="2"><c r="XFD0000000001048576"><v>1</v></c></row>'))


def lying_dimension() -> bytes:
    """<dimension> says A1:L2, a cell sits at row 500,000 (in a row that does not say where it is)."""
    return package(
        sheet_xml(
            '<row r="2"><c r="A2"><v>1</v></c></row><row><c r="A500000"><v>1</v></c></row>', dimension="A1:L2"
        )
    )


def overstated_dimension(workbook: bytes) -> bytes:
    """A real workbook whose <dimension> claims the whole grid: harmless, and imported as usual."""
    return _rewrite_part(
        workbook,
        SHEET,
        lambda xml: _replace_dimension(xml, b'<dimension ref="A1:XFD1048576"/>'),
    )


def _replace_dimension(xml: bytes, dimension: bytes) -> bytes:
    start = xml.index(b"<dimension")
    end = xml.index(b">", start) + 1
    return xml[:start] + dimension + xml[end:]


def _rewrite_part(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, change(content) if info.filename == name else content)
    return buffer.getvalue()


# ---------------------------------------------------------------- size


def shared_string_bomb(cells: int = 20_000, length: int = 30_000) -> bytes:
    """100 KB that python-calamine expands to cells × length bytes: every cell gets its own copy of
    the one long shared string (20,000 × 30,000 = 600 MB)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(2, cells + 2))
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}"><si><t>{"x" * length}</t></si></sst>'
    )
    return package(sheet_xml(rows), shared_strings=strings)


def bomb_rows(rows: int, columns: int, *, references: bool = False) -> Iterable[bytes]:
    """Sheet XML of `rows` rows of `columns` numeric cells, yielded a row at a time. Without
    references every row is the same bytes (the parsers number the cells) and compresses ~500:1."""
    yield (SHEET_HEAD + "<sheetData>" + header_row()).encode()
    if references:
        template = '<row r="#">' + "".join(
            f'<c r="{column_letters(c)}#"><v>1</v></c>' for c in range(1, columns + 1)
        )
        for r in range(2, rows + 2):
            yield (template.replace("#", str(r)) + "</row>").encode()
    else:
        row = ("<row>" + "<c><v>1</v></c>" * columns + "</row>").encode()
        for _ in range(rows):
            yield row
    yield b"</sheetData></worksheet>"


def decompression_bomb(target, *, rows: int = 40_000, columns: int = 1_000, compresslevel: int = 9) -> None:
    """The sheet of the issue: 40,000 rows × 1,000 numeric cells, about 600 MB of XML in 1.2 MB,
    with headers that declare their true sizes. Written streaming (ZipFile.open): no memory."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        _write_common(archive)
        with archive.open(SHEET, "w", force_zip64=True) as part:
            for chunk in bomb_rows(rows, columns):
                part.write(chunk)


def near_the_limits(target, *, rows: int = 199_999, columns: int = 20) -> None:
    """Not hostile: the largest sheet the default limits accept (rows × columns = 4,000,000 cells
    of varied numbers, so it compresses like real data), to measure what an accepted file costs."""
    import random

    draw = random.Random(9).randrange
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        _write_common(archive)
        with archive.open(SHEET, "w", force_zip64=True) as part:
            part.write((SHEET_HEAD + "<sheetData>" + header_row()).encode())
            for _ in range(rows):
                part.write(
                    (
                        "<row>" + "".join(f"<c><v>{draw(100000)}</v></c>" for _ in range(columns)) + "</row>"
                    ).encode()
                )
            part.write(b"</sheetData></worksheet>")


TEXT_ROW = ('<row><c t="inlineStr"><is><t>' + "残" * 1365 + "</t></is></c></row>").encode()


def repeated_bomb(
    target, *, compressed_bytes: int, row: bytes = TEXT_ROW, declared: int | None = 1024
) -> int:
    """A sheet of identical rows (default: one 4 KB text cell each) whose deflate stream is one
    compressed block repeated until the file is `compressed_bytes` long (e.g. the upload limit):
    gigabytes of XML, built in a second. Its headers declare `declared` bytes (None: the truth);
    returns the real unpacked size of the sheet."""
    block = row * max(1, (1 << 20) // len(row))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    head_compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = head_compressor.compress(next(iter(bomb_rows(0, 0)))) + head_compressor.flush(zlib.Z_FULL_FLUSH)
    repeats = max(1, (compressed_bytes - len(head)) // len(packed))
    stream = head + packed * repeats + b"\x03\x00"  # an empty final block ends the stream
    unpacked = len(next(iter(bomb_rows(0, 0)))) + len(block) * repeats
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_common(archive)
    common = buffer.getvalue()
    data = _append_raw_part(common, SHEET, stream, declared=unpacked if declared is None else declared)
    with open(target, "wb") if isinstance(target, str | Path) else contextlib.nullcontext(target) as out:
        out.write(data)
    return unpacked


def _append_raw_part(archive_bytes: bytes, name: str, raw: bytes, *, declared: int) -> bytes:
    """Add a part made of a raw deflate stream, with whatever size its headers declare."""
    source = zipfile.ZipFile(io.BytesIO(archive_bytes))
    end_of_entries = source.start_dir
    central = archive_bytes[end_of_entries : archive_bytes.rindex(b"PK\x05\x06")]
    count = len(source.infolist())
    encoded = name.encode()
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, 0, len(raw), declared, len(encoded), 0
    )
    new_central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0x21,
        0,
        len(raw),
        declared,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        end_of_entries,
    )
    entries = archive_bytes[:end_of_entries] + local + encoded + raw
    directory = central + new_central + encoded
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(directory), len(entries), 0
    )
    return entries + directory + end


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The same package, with `size` as the unpacked size of `name` in both of its headers."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(name)
    patched = bytearray(data)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    position = archive.start_dir
    encoded = name.encode()
    while True:
        position = data.index(b"PK\x01\x02", position)
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == encoded:
            struct.pack_into("<I", patched, position + 24, size)
            return bytes(patched)
        position += 4


def part_bigger_than_declared() -> bytes:
    """A sheet that inflates to more than its headers say (here: 2,000 bytes declared)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, 500))
    return declare_size(package(sheet_xml(rows)), SHEET, 2_000)


def too_many_parts(parts: int) -> bytes:
    return package(sheet_xml(""), extra_parts=parts)
