"""The guard every uploaded workbook passes before a parser (python-calamine, openpyxl) reads it.

A parser trusts the file: python-calamine allocates the whole rectangle between the first and the
last cell (32 bytes a cell: one cell at XFD1048576 asks for 512 GiB and the process aborts, which
Python cannot catch) and copies a shared string into every cell that refers to it. So the guard
trusts nothing the file declares. It reads the ZIP package itself:

- the number of parts;
- the declared size of every part, then its real size, inflated from the raw compressed bytes with a
  bounded decompressor that stops as soon as the limit is passed (a part bigger than its header says
  cannot slip through), and the compression ratio;
- the real extent of the sheets: a streaming XML scan (expat) of every worksheet that finds the last
  row and column from the `r` attributes of <row> and <c> (and counts rows and cells without one the
  way the parsers do), ignoring <dimension>, which can lie. An ordinary sheet (every row and cell
  with its own `r`, written as Excel and openpyxl write it) is read by a bytes-level scan of the
  same chunks instead (_FastSheetScan, several times cheaper); anything unusual, and any sheet past a
  limit, goes to the full XML scan, so the verdict and the message are the same;
- the text the cells would expand to: the cells that refer to a shared string times its length.

A file beyond a limit raises BadFile with one Chinese message naming the limit. The limits are
settings (IMPORT_MAX_*); the defaults are far above any real template.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import struct
import threading
import zipfile
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from xml.parsers import expat

from django.conf import settings

from sheets.excel import MESSAGE_CORRUPT, BadFile

MESSAGE_TOO_MANY_PARTS = (
    "工作簿内部的文件超过 {limit} 个，不是正常的Excel工作簿：请用Excel另存为 .xlsx 后再导入"
)
MESSAGE_TOO_BIG_UNPACKED = "工作簿解压后超过 {limit} MB：请删除多余的行、列和工作表，或拆分后分批导入"
MESSAGE_RATIO = (
    "工作簿的压缩比超过 {limit} 倍（内容异常），不是正常的Excel工作簿：请用Excel另存为 .xlsx 后再导入"
)
MESSAGE_TOO_MANY_ROWS = "工作表超过 {limit} 行数据（最后一行是第 {row} 行）：请删除多余的行，或拆分后分批导入"
MESSAGE_TOO_MANY_COLUMNS = "工作表超过 {limit} 列（最右一列是第 {column} 列）：请删除多余的列后再导入"
MESSAGE_TOO_MANY_CELLS = (
    "工作表的单元格区域超过 {limit} 个（{rows} 行 × {columns} 列）：请删除多余的行和列，或拆分后分批导入"
)

# Excel's own grid: XFD is column 16384, the last row is 1048576.
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384

_CHUNK = 1 << 20  # inflate and scan 1 MiB at a time
_RAW_SLICE = 1 << 16
# No real tag or text between two tags comes near this (a cell holds at most 32,767 characters).
_LONGEST_RUN = 4 << 20
# The ratio is judged on parts large enough for it to mean something: a small styles.xml or an
# empty sheet of styled cells may compress very well and harm nobody.
_RATIO_MIN_BYTES = 1 << 20
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_MAGIC = b"PK\x03\x04"
_CENTRAL_MAGIC = b"PK\x01\x02"


@dataclass(frozen=True)
class Limits:
    parts: int
    unpacked_bytes: int
    ratio: int
    data_rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            parts=settings.IMPORT_MAX_PARTS,
            unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
            ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            data_rows=settings.IMPORT_MAX_DATA_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cells=settings.IMPORT_MAX_CELLS,
        )

    @property
    def unpacked_mb(self) -> int:
        return max(1, self.unpacked_bytes // (1024 * 1024))


@dataclass
class Extent:
    """What the scan of the sheets found (the largest over all of them)."""

    max_row: int = 0
    max_column: int = 0
    rows: int = 0
    cells: int = 0
    string_cells: int = 0


# The web upload checks a file twice (row count, then the preview): remember the last few verdicts.
_verified: OrderedDict[tuple, Extent] = OrderedDict()
_verified_lock = threading.Lock()
_VERIFIED_SIZE = 8


def check_workbook(data: bytes, limits: Limits | None = None) -> Extent:
    """Raise BadFile unless the .xlsx package `data` is within the limits; return what was found."""
    limits = limits or Limits.from_settings()
    key = (hashlib.blake2b(data, digest_size=20).digest(), astuple(limits))
    with _verified_lock:
        if key in _verified:
            _verified.move_to_end(key)
            return _verified[key]
    extent = _Guard(data, limits).run()
    with _verified_lock:
        _verified[key] = extent
        while len(_verified) > _VERIFIED_SIZE:
            _verified.popitem(last=False)
    return extent


def forget_verdicts() -> None:
    """Forget the remembered verdicts: the next check of any file scans it again (benchmarks time
    the guard as a worker that has not seen the file does)."""
    with _verified_lock:
        _verified.clear()


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) - 64)
    return number


class _Guard:
    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.view = memoryview(data)
        self.limits = limits
        self.unpacked = 0

    def run(self) -> Extent:
        # zipfile builds an object per central-directory entry: count the entries' signatures first.
        if self.data.count(_CENTRAL_MAGIC) > self.limits.parts:
            raise BadFile(MESSAGE_TOO_MANY_PARTS.format(limit=self.limits.parts))
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise BadFile(MESSAGE_CORRUPT) from None
        self._check_declared(infos)
        by_name = {info.filename: info for info in infos}
        if len(by_name) != len(infos):
            raise BadFile(MESSAGE_CORRUPT)  # two parts of the same name: which one would a parser read?
        # Every part is inflated once (its real size counts against the limit), the sheets and the
        # shared strings through a scanner, the rest into nothing.
        sheets = self._sheet_parts(by_name)
        strings = {name for name in by_name if _is_shared_strings(name)}
        lengths = array("Q")
        max_string = 0
        for name in sorted(strings):
            scan = _SharedStringsScan()
            self._inflate(by_name[name], scan)
            scan.close()
            max_string = max(max_string, scan.max_length)
            for index, length in enumerate(scan.lengths):
                if index < len(lengths):
                    lengths[index] = max(lengths[index], length)
                else:
                    lengths.append(length)
        extent = Extent()
        for name in sheets:
            sheet = self._scan_sheet(by_name[name])
            # A cell that refers to a shared string gets a copy of it: bound the text first with the
            # longest string, count it exactly only when the bound is too high.
            if sheet.string_cells * max_string > self.limits.unpacked_bytes:
                exact = _SharedTextScan(self.limits, lengths)
                self._inflate(by_name[name], exact, count=False)
                exact.close()
            extent.max_row = max(extent.max_row, sheet.max_row)
            extent.max_column = max(extent.max_column, sheet.max_column)
            extent.rows = max(extent.rows, sheet.rows)
            extent.cells = max(extent.cells, sheet.cells)
            extent.string_cells = max(extent.string_cells, sheet.string_cells)
        for name, info in by_name.items():
            if name not in sheets and name not in strings:
                self._inflate(info, None)
        return extent

    def _scan_sheet(self, info: zipfile.ZipInfo) -> Extent:
        """The sheet's extent: by the bytes-level scan when the sheet is ordinary, else (or when it
        passes a limit, for the exact message) by the full XML scan, from the start again."""
        try:
            fast = _FastSheetScan(self.limits)
            self._inflate(info, fast)
            return fast.close()
        except _Unusual:
            pass
        scan = _SheetScan(self.limits)
        self._inflate(info, scan)
        scan.close()
        return scan.extent

    # ------------------------------------------------------------ the package

    def _check_declared(self, infos: list[zipfile.ZipInfo]) -> None:
        limits = self.limits
        if len(infos) > limits.parts:
            raise BadFile(MESSAGE_TOO_MANY_PARTS.format(limit=limits.parts))
        declared = 0
        for info in infos:
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise BadFile(MESSAGE_CORRUPT)  # encrypted entries, or a method Excel never writes
            declared += info.file_size
            if declared > limits.unpacked_bytes:
                raise BadFile(MESSAGE_TOO_BIG_UNPACKED.format(limit=limits.unpacked_mb))
            self._check_ratio(info.file_size, info.compress_size)

    def _check_ratio(self, unpacked: int, packed: int) -> None:
        if unpacked >= _RATIO_MIN_BYTES and unpacked > self.limits.ratio * max(packed, 1):
            raise BadFile(MESSAGE_RATIO.format(limit=self.limits.ratio))

    def _raw(self, info: zipfile.ZipInfo) -> memoryview:
        """The compressed bytes of a part, located through its local header (as a reader would)."""
        start = info.header_offset
        header = self.data[start : start + _LOCAL_HEADER.size]
        if len(header) != _LOCAL_HEADER.size:
            raise BadFile(MESSAGE_CORRUPT)
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != _LOCAL_MAGIC:
            raise BadFile(MESSAGE_CORRUPT)
        begin = start + _LOCAL_HEADER.size + fields[9] + fields[10]
        end = begin + info.compress_size
        if end > len(self.data):
            raise BadFile(MESSAGE_CORRUPT)
        return self.view[begin:end]

    def _inflate(self, info: zipfile.ZipInfo, scan, *, count: bool = True) -> None:
        """Inflate one part in bounded chunks, feeding `scan`; its real size counts against the limit."""
        size = 0
        for chunk in self._chunks(info):
            size += len(chunk)
            if count and self.unpacked + size > self.limits.unpacked_bytes:
                raise BadFile(MESSAGE_TOO_BIG_UNPACKED.format(limit=self.limits.unpacked_mb))
            if scan is not None:
                scan.feed(chunk)
        if count:
            self.unpacked += size
            if size != info.file_size:
                raise BadFile(MESSAGE_CORRUPT)  # a part bigger (or smaller) than its header says
            self._check_ratio(size, info.compress_size)

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        raw = self._raw(info)
        if info.compress_type == zipfile.ZIP_STORED:
            for offset in range(0, len(raw), _CHUNK):
                yield bytes(raw[offset : offset + _CHUNK])
            return
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            for offset in range(0, len(raw), _RAW_SLICE):
                pending = raw[offset : offset + _RAW_SLICE]
                while pending and not inflater.eof:
                    chunk = inflater.decompress(pending, _CHUNK)
                    pending = inflater.unconsumed_tail
                    if chunk:
                        yield chunk
                if inflater.eof:
                    return
            chunk = inflater.flush()
            if chunk:
                yield chunk
        except zlib.error:
            raise BadFile(MESSAGE_CORRUPT) from None
        if not inflater.eof:
            raise BadFile(MESSAGE_CORRUPT)  # truncated stream

    # ------------------------------------------------------------ which parts are sheets

    def _sheet_parts(self, by_name: dict[str, zipfile.ZipInfo]) -> list[str]:
        """The first sheet as the parsers find it (workbook.xml, then its relationships), plus every
        part under xl/worksheets/, so that a parser finding its sheet differently gains nothing."""
        parts = [name for name in by_name if name.startswith("xl/worksheets/") and not name.endswith(".rels")]
        if _WORKBOOK not in by_name or _WORKBOOK_RELS not in by_name:
            raise BadFile(MESSAGE_CORRUPT)
        first = self._small_xml(by_name[_WORKBOOK], _FirstSheetScan())
        targets = self._small_xml(by_name[_WORKBOOK_RELS], _RelationshipsScan()).targets
        target = targets.get(first.relationship_id) if first.relationship_id else None
        if target is not None:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            if path in by_name and path not in parts:
                parts.append(path)
        return sorted(parts)

    def _small_xml(self, info: zipfile.ZipInfo, scan):
        self._inflate(info, scan)
        scan.close()
        return scan


def _is_shared_strings(name: str) -> bool:
    return posixpath.basename(name).lower().startswith("sharedstrings") and name.lower().endswith(".xml")


# ---------------------------------------------------------------- XML scanners (expat, streaming)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Scan:
    """A streaming expat parser; malformed XML or a DOCTYPE (entity tricks) is a corrupt file.

    Expat holds a whole tag in memory before it reports it: a tag of hundreds of megabytes (one
    endless attribute) is refused once the bytes since the last ">" pass _LONGEST_RUN.
    """

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.run = 0

    def _doctype(self, *args) -> None:
        raise BadFile(MESSAGE_CORRUPT)

    def feed(self, chunk: bytes) -> None:
        end = chunk.rfind(b">")
        self.run = self.run + len(chunk) if end < 0 else len(chunk) - end - 1
        if self.run > _LONGEST_RUN:
            raise BadFile(MESSAGE_CORRUPT)
        try:
            self.parser.Parse(chunk, False)
        except expat.ExpatError:
            raise BadFile(MESSAGE_CORRUPT) from None

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError:
            raise BadFile(MESSAGE_CORRUPT) from None


class _FirstSheetScan(_Scan):
    def __init__(self) -> None:
        super().__init__()
        self.relationship_id: str | None = None
        self.parser.StartElementHandler = self._start

    def _start(self, name: str, attrs: dict) -> None:
        if self.relationship_id is None and _local(name) == "sheet":
            for key, value in attrs.items():
                if _local(key) == "id" and key != "id":
                    self.relationship_id = value
                    return
            self.relationship_id = ""


class _RelationshipsScan(_Scan):
    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[str, str] = {}
        self.parser.StartElementHandler = self._start

    def _start(self, name: str, attrs: dict) -> None:
        if _local(name) == "Relationship" and "Id" in attrs and "Target" in attrs:
            self.targets.setdefault(attrs["Id"], attrs["Target"])


class _SharedStringsScan(_Scan):
    """The UTF-8 length of every shared string (<si>), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.lengths = array("Q")
        self.max_length = 0
        self.current = -1
        self.parser.StartElementHandler = self._start
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attrs: dict) -> None:
        if _local(name) == "si":
            self._end_string()
            self.current = 0

    def _text(self, text: str) -> None:
        if self.current >= 0:
            self.current += len(text.encode())

    def _end_string(self) -> None:
        if self.current >= 0:
            self.lengths.append(self.current)
            self.max_length = max(self.max_length, self.current)

    def close(self) -> None:
        super().close()
        self._end_string()
        self.current = -1


class _SheetScan(_Scan):
    """The real extent of one sheet, refusing it as soon as it passes a limit.

    Positions follow the parsers: a cell's own `r` wins (lower-case letters too); a cell without one
    is the next column of its row, a row without one the row after the previous. The handler runs
    for every element of the sheet, so it is one closure over local variables: this scan is most of
    the guard's cost.
    """

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self.parser.StartElementHandler, self._counts = self._handler(limits)

    def close(self) -> None:
        super().close()
        self.extent = Extent(*self._counts())

    def _handler(self, limits: Limits):
        max_data_row = limits.data_rows + 1  # the header row comes first
        max_columns = limits.columns
        max_cells = limits.cells
        known_columns: dict[str, int] = {}
        row = column = max_row = max_column = rows = cells = string_cells = 0
        row_text = ""  # the current row's own r="...", to read its cells' references quickly

        def too_many_rows(number: int):
            return BadFile(MESSAGE_TOO_MANY_ROWS.format(limit=limits.data_rows, row=number))

        def column_of(letters: str) -> int:
            upper = letters.upper()
            if not (1 <= len(upper) <= 3 and upper.isascii() and upper.isalpha()):
                raise BadFile(MESSAGE_CORRUPT)
            number = column_number(upper)
            if number > EXCEL_MAX_COLUMN:
                raise BadFile(MESSAGE_CORRUPT)
            known_columns[letters] = number
            return number

        def row_of(digits: str) -> int:
            if not (digits.isascii() and digits.isdigit()) or len(digits) > 7:
                raise BadFile(MESSAGE_CORRUPT)
            number = int(digits)
            if not 1 <= number <= EXCEL_MAX_ROW:
                raise BadFile(MESSAGE_CORRUPT)
            return number

        def position(reference: str) -> tuple[int, int]:
            letters = reference.rstrip("0123456789")
            cell_column = known_columns.get(letters) or column_of(letters)
            # What rstrip took is ASCII digits only; more than 7 (leading zeros too) is no row.
            digits = len(reference) - len(letters)
            if digits > 7:
                raise BadFile(MESSAGE_CORRUPT)
            return (int(reference[len(letters) :]) if digits else row), cell_column

        def grew(cell_row: int, cell_column: int) -> None:
            nonlocal max_row, max_column
            if cell_row > max_row:
                max_row = cell_row
                if cell_row > max_data_row:
                    raise too_many_rows(cell_row)
            if cell_column > max_column:
                max_column = cell_column
                if cell_column > max_columns:
                    raise BadFile(MESSAGE_TOO_MANY_COLUMNS.format(limit=max_columns, column=cell_column))
            if max_row * max_column > max_cells:
                raise BadFile(
                    MESSAGE_TOO_MANY_CELLS.format(limit=max_cells, rows=max_row, columns=max_column)
                )

        def start(name: str, attrs: dict) -> None:
            nonlocal row, column, rows, cells, string_cells, row_text
            if name != "c":
                if name != "row":
                    if ":" not in name:
                        return
                    name = name.rpartition(":")[2]
                    if name != "c" and name != "row":
                        return
                if name == "row":
                    rows += 1
                    if rows > max_data_row:
                        raise too_many_rows(rows)
                    number = attrs.get("r")
                    if number is None:
                        row += 1
                        row_text = ""
                    else:
                        row = row_of(number)
                        row_text = number
                    column = 0
                    if row > max_row:
                        grew(row, 0)
                    return
            cells += 1
            reference = attrs.get("r")
            if reference is None:
                column += 1
                cell_row = row or 1
            elif row_text and reference.endswith(row_text):
                # The usual case, "B17" in row 17: what precedes the row's number must be known letters
                # (else "A11" in row 1 would read as column "A1"), or the reference is read in full.
                column = known_columns.get(reference[: -len(row_text)])
                if column is None:
                    cell_row, column = position(reference)
                else:
                    cell_row = row
            else:
                cell_row, column = position(reference)
            if attrs.get("t") == "s":
                string_cells += 1
            if cell_row > max_row or column > max_column:
                grew(cell_row, column)

        return start, lambda: (max_row, max_column, rows, cells, string_cells)


class _SharedTextScan(_Scan):
    """The text that a sheet's cells referring to shared strings expand to (each gets a copy)."""

    def __init__(self, limits: Limits, lengths: array) -> None:
        super().__init__()
        self.limits = limits
        self.lengths = lengths
        self.longest = max(lengths, default=0)
        self.text = 0
        self.in_string_cell = False
        self.value: list[str] | None = None
        self.parser.StartElementHandler = self._start
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attrs: dict) -> None:
        self._finish_value()
        name = _local(name)
        if name == "c":
            self.in_string_cell = attrs.get("t") == "s"
        elif name == "v" and self.in_string_cell:
            self.value = []

    def _text(self, text: str) -> None:
        if self.value is not None:
            self.value.append(text)

    def _finish_value(self) -> None:
        if self.value is None:
            return
        raw = "".join(self.value).strip()
        self.value = None
        if raw.isascii() and raw.isdigit() and int(raw) < len(self.lengths):
            self.text += self.lengths[int(raw)]
        else:
            self.text += self.longest  # a parser may read it some other way
        if self.text > self.limits.unpacked_bytes:
            raise BadFile(MESSAGE_TOO_BIG_UNPACKED.format(limit=self.limits.unpacked_mb))

    def close(self) -> None:
        super().close()
        self._finish_value()


# ---------------------------------------------------------------- the bytes-level scan of ordinary sheets


class _Unusual(Exception):
    """The fast scan cannot vouch for this sheet: the full XML scan reads it instead."""


_XML_DECLARATION = re.compile(
    rb'<\?xml version="1\.[01]"(?: encoding="(?i:utf-8)")?(?: standalone="(?:yes|no)")? ?\?>'
)
# A start tag named c or row that is not followed by exactly one space: "<c>", "<c/>", "<c\t", ...
_ODD_CELL = re.compile(rb"<c(?![ A-Za-z0-9_.\-\x80-\xff])")
_ODD_ROW = re.compile(rb"<row(?![ A-Za-z0-9_.\-\x80-\xff])")
# A c or row behind a namespace prefix (the full scan reads the local name, as the parsers do).
_PREFIXED = re.compile(rb"<[^\s/>!?<]*:(?:c|row)[\s/>]")
# The cell tags Excel, openpyxl and the portal write: `r` first, then at most a style and a type, in
# that order (so no duplicate can hide); anything else (cm, vm, ph, another order) goes to the full
# scan. A row: `r` first, then attributes whose names are checked for duplicates.
_CELL = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")? ?/?>')
_STRING_CELL = re.compile(rb'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"(?: s="[0-9]{1,9}")? t="s" ?/?>')
_ROW = re.compile(rb'<row r="([1-9][0-9]{0,6})"((?: [A-Za-z_][A-Za-z0-9_.:\-]*="[^"<>&]*")*) ?/?>')
# Read from the start of a row's attributes, value by value (a value may hold spaces and =).
_ATTRIBUTE_NAME = re.compile(rb' ([A-Za-z_][A-Za-z0-9_.:\-]*)="[^"]*"')
_DIGITS = b"0123456789"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _FastSheetScan:
    """The extent of an ordinary sheet from its bytes, at about the cost of inflating it.

    The full scan calls Python for each of a sheet's million elements; this one counts and matches
    tags over each inflated chunk with bytes methods and regular expressions, and derives the same
    Extent: every row and cell carries its own `r` (so the extent does not depend on their order),
    written the way Excel and openpyxl write it. It raises _Unusual (the full scan then reads the
    sheet from the start) at anything else: a DOCTYPE, comment, CDATA or processing instruction;
    another encoding than UTF-8; a prefixed <x:c> or <x:row>; a row or cell without `r`, with
    attributes in another order or form (so a duplicate `r` cannot hide); a number or column beyond
    Excel's grid; and a sheet past a limit (so that the refusal names the same limit).

    In well-formed XML every "<" opens a tag, so a chunk is read up to its last "<" and the rest is
    kept for the next one: a tag cut at a chunk boundary is read whole.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.tail = b""
        self.first = True
        self.run = 0
        self.max_row = self.max_column = self.rows = self.cells = self.string_cells = 0

    def feed(self, chunk: bytes) -> None:
        end = chunk.rfind(b">")  # the same bound on a tag's length as the full scan's
        self.run = self.run + len(chunk) if end < 0 else len(chunk) - end - 1
        if self.run > _LONGEST_RUN:
            raise _Unusual
        data = self.tail + chunk if self.tail else chunk
        cut = data.rfind(b"<")
        if cut < 0:
            cut = 0
        self.tail = data[cut:]
        if len(self.tail) > _LONGEST_RUN:
            raise _Unusual
        if cut:
            self._read(data[:cut])

    def close(self) -> Extent:
        if self.tail:
            self._read(self.tail)
            self.tail = b""
        return Extent(self.max_row, self.max_column, self.rows, self.cells, self.string_cells)

    def _read(self, text: bytes) -> None:
        if self.first:
            self.first = False
            if text.startswith(b"<?"):
                declaration = _XML_DECLARATION.match(text)
                if declaration is None:
                    raise _Unusual
                text = text[declaration.end() :]
            elif not text.startswith(b"<"):
                raise _Unusual  # a byte-order mark, another encoding, or text before the root
        # Single bytes first (memchr): the two-byte searches run only when one is there.
        if (b"!" in text or b"?" in text) and (b"<!" in text or b"<?" in text):
            raise _Unusual
        if b"\x00" in text:
            raise _Unusual
        if b":" in text and (b":c" in text or b":row" in text) and _PREFIXED.search(text):
            raise _Unusual
        references = _CELL.findall(text)
        # Other names may begin with c (<cols>, <col>); a c tag not in the usual form may not.
        if text.count(b"<c") != len(references) and (
            _ODD_CELL.search(text) or text.count(b"<c ") != len(references)
        ):
            raise _Unusual
        rows = _ROW.findall(text)
        if text.count(b"<row") != len(rows) and (_ODD_ROW.search(text) or text.count(b"<row ") != len(rows)):
            raise _Unusual
        for attributes in {attributes for _number, attributes in rows if attributes}:
            names = _ATTRIBUTE_NAME.findall(attributes)
            if len(set(names)) != len(names) or b"r" in names:
                raise _Unusual
        if rows:
            self.rows += len(rows)
            self.max_row = max(self.max_row, max(int(number) for number in {number for number, _ in rows}))
        if references:
            self.cells += len(references)
            if b't="s"' in text:
                self.string_cells += len(_STRING_CELL.findall(text))
            joined = b" ".join(references)
            letters = set(joined.translate(None, _DIGITS).split())
            numbers = set(joined.translate(None, _LETTERS).split())
            self.max_column = max(self.max_column, max(column_number(item.decode()) for item in letters))
            self.max_row = max(self.max_row, max(map(int, numbers)))
        limits = self.limits
        if (
            self.max_row > EXCEL_MAX_ROW
            or self.max_column > EXCEL_MAX_COLUMN
            or self.rows > limits.data_rows + 1
            or self.max_row > limits.data_rows + 1
            or self.max_column > limits.columns
            or self.max_row * self.max_column > limits.cells
        ):
            raise _Unusual  # the full scan refuses it, naming the limit it meets first
