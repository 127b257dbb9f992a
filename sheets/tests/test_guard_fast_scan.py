"""The guard's bytes-level scan of ordinary sheets finds what the full XML scan finds, or hands over.

sheets/guard.py reads an ordinary sheet (every row and cell with its own `r`, written as Excel and
openpyxl write it) with bytes methods and regular expressions, and anything else with the full expat
scan. These tests prove the two agree: the same Extent on ordinary sheets however the inflated bytes
are cut into chunks, and, for every unusual form, a hand-over to the full scan (so the same verdict,
extent or message, as before the fast path existed).
"""

import io
import zipfile

import pytest

from imports.tests.factories import person_row, persons_workbook
from sheets import excel, guard
from sheets.tests import hostile

pytestmark = pytest.mark.django_db

SHEET = hostile.SHEET


def sheet_of(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(SHEET)


def full_scan(xml: bytes):
    """What the full XML scan finds: an Extent, or the message of its refusal."""
    scan = guard._SheetScan(guard.Limits.from_settings())
    try:
        scan.feed(xml)
        scan.close()
    except excel.BadFile as refused:
        return refused.message
    return scan.extent


def fast_scan(xml: bytes, cuts: list[int]) -> guard.Extent:
    """The fast scan fed the sheet cut at the given offsets (raises _Unusual when it hands over)."""
    scan = guard._FastSheetScan(guard.Limits.from_settings())
    start = 0
    for cut in [*cuts, len(xml)]:
        scan.feed(xml[start:cut])
        start = cut
    return scan.close()


def guard_verdict(data: bytes):
    try:
        return guard._Guard(data, guard.Limits.from_settings()).run()
    except excel.BadFile as refused:
        return refused.message


ORDINARY_ROWS = (
    '<row r="2" spans="1:12" x14ac:dyDescent="0.25"><c r="A2" s="1" t="s"><v>0</v></c>'
    '<c r="B2" t="inlineStr"><is><t>a &lt;c r="XFD9"&gt; in text</t></is></c><c r="C2" s="3"/>'
    '<c r="D2"><v>4</v></c></row>'
    '<row r="3"><c r="AB3" t="s"><v>1</v></c><c r="A3" t="n"><v>2</v></c></row>'
    '<row r="9" ht="20" customHeight="1"/>'
    '<row r="10"><c r="C12"><v>1</v></c><c r="B10" t="str"><f>A1</f><v>x</v></c></row>'
)


def ordinary_sheet() -> bytes:
    return hostile.sheet_xml(ORDINARY_ROWS, dimension="A1:B2").encode()


def test_fast_scan_finds_the_full_scans_extent_on_real_workbooks():
    from imports.resources import RESOURCE_NAMES, get_resource_class

    workbooks = [excel.build_template(get_resource_class(name)) for name in RESOURCE_NAMES]
    workbooks.append(persons_workbook(*[person_row() for _ in range(300)]))
    for data in workbooks:
        xml = sheet_of(data)

        extent = fast_scan(xml, [])

        assert extent == full_scan(xml)
        assert extent.cells > 0
    assert (extent.max_row, extent.max_column) == (301, 12)


def test_fast_scan_reads_a_tag_cut_at_any_chunk_boundary_whole():
    xml = ordinary_sheet()
    expected = full_scan(xml)
    assert (expected.max_row, expected.max_column, expected.string_cells) == (12, 28, 2)

    for cut in range(1, len(xml)):
        assert fast_scan(xml, [cut]) == expected, cut
    for size in (1, 2, 3, 5, 7, 64):
        assert fast_scan(xml, list(range(size, len(xml), size))) == expected, size


def test_the_guard_takes_the_fast_path_on_an_ordinary_sheet_and_agrees_with_calamine():
    from python_calamine import CalamineWorkbook

    strings = f'<sst xmlns="{hostile._MAIN}"><si><t>甲</t></si><si><t>乙</t></si></sst>'
    data = hostile.package(ordinary_sheet(), shared_strings=strings)

    extent = guard_verdict(data)

    assert extent == fast_scan(sheet_of(data), [])
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    assert (extent.max_row, extent.max_column) == (
        sheet.start[0] + sheet.height,
        sheet.start[1] + sheet.width,
    )


UNUSUAL = {
    "a prefixed cell": '<x:row r="2" xmlns:x="u"><x:c r="C3"><x:v>1</x:v></x:c></x:row>',
    "a prefixed cell in a plain row": '<row r="2"><x:c r="E2" xmlns:x="u"><x:v>1</x:v></x:c></row>',
    "a row without r": '<row r="2"><c r="A2"><v>1</v></c></row><row><c r="B3"><v>1</v></c></row>',
    "cells without r": '<row r="2"><c r="A2"><v>1</v></c><c><v>2</v></c><c/></row>',
    "a cell with two r": '<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>',
    "a row with two r": '<row r="2" r="1048576"><c r="A2"><v>1</v></c></row>',
    "a row with a duplicate attribute": '<row r="2" ht="1" ht="2"><c r="A2"><v>1</v></c></row>',
    "a second r behind a value with a space": '<row r="2" a="x y" r="1048576"/>',
    "a duplicate behind a value with =": '<row r="2" a="x b=" b="1" b="2"><c r="A2"><v>1</v></c></row>',
    "a cell with two types": '<row r="2"><c r="A2" t="n" t="s"><v>0</v></c></row>',
    "attributes in another order": '<row r="2"><c t="n" r="C3"><v>1</v></c></row>',
    "single quotes": "<row r='2'><c r='C3'><v>1</v></c></row>",
    "spaces around =": '<row r="2"><c r = "C3"><v>1</v></c></row>',
    "a tab before r": '<row r="2"><c\tr="C3"><v>1</v></c></row>',
    "lower-case letters": '<row r="2"><c r="c3"><v>1</v></c></row>',
    "a zero-padded row": '<row r="2"><c r="XFD0000000001048576"><v>1</v></c></row>',
    "a comment": '<row r="2"><!-- <c r="XFD9"/> --><c r="A2"><v>1</v></c></row>',
    "CDATA": '<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[<c r="XFD9"/>]]></t></is></c></row>',
    "a processing instruction": '<row r="2"><?pi <c r="XFD9"/>?><c r="A2"><v>1</v></c></row>',
    "an entity in r": '<row r="2"><c r="&#67;3"><v>1</v></c></row>',
    "a rich-value cell": '<row r="2"><c r="A2" vm="1"><v>1</v></c></row>',
    "a cell past the limit of columns": '<row r="2"><c r="XFD2"><v>1</v></c></row>',
    "a row past the limit of rows": '<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
    "a cell far below its row": '<row r="2"><c r="A900000"><v>1</v></c></row>',
}


@pytest.mark.parametrize("quirk", UNUSUAL)
def test_fast_scan_hands_unusual_sheets_to_the_full_scan_which_gives_the_same_verdict(quirk):
    xml = hostile.sheet_xml(UNUSUAL[quirk]).encode()
    data = hostile.package(xml)

    with pytest.raises(guard._Unusual):
        fast_scan(xml, [])

    assert guard_verdict(data) == full_scan(xml)


@pytest.mark.parametrize(
    "prologue",
    [
        b'<!DOCTYPE worksheet [<!ENTITY e "x">]>',
        b'<?xml version="1.0" encoding="ISO-8859-1"?>',
        b"\xef\xbb\xbf",
    ],
    ids=["doctype", "another encoding", "byte-order mark"],
)
def test_a_doctype_another_encoding_or_a_bom_goes_to_the_full_scan(prologue):
    body = hostile.sheet_xml('<row r="2"><c r="A2"><v>1</v></c></row>').encode()
    body = body[body.index(b"?>") + 2 :]
    xml = prologue + body

    with pytest.raises(guard._Unusual):
        fast_scan(xml, [])

    assert guard_verdict(hostile.package(xml)) == full_scan(xml)


def test_a_utf16_sheet_goes_to_the_full_scan_which_still_finds_its_far_cell():
    xml = hostile.sheet_xml('<row r="2"><c r="XFD2"><v>1</v></c></row>').replace("UTF-8", "UTF-16")
    encoded = xml.encode("utf-16")

    with pytest.raises(guard._Unusual):
        fast_scan(encoded, [])

    assert "工作表超过 100 列" in guard_verdict(hostile.package(encoded))


@pytest.mark.parametrize(
    "name", ["corner_cell", "last_row", "last_column", "lying_dimension", "padded_reference"]
)
def test_hostile_sheets_get_the_same_message_as_from_the_full_scan(name):
    data = getattr(hostile, name)()

    assert guard_verdict(data) == full_scan(sheet_of(data))
    assert isinstance(guard_verdict(data), str)


def test_wide_rows_of_a_bomb_are_handed_over_and_refused_at_the_first_one():
    rows = "".join(chunk.decode() for chunk in hostile.bomb_rows(3, 1_000, references=True))
    data = hostile.package(rows)

    assert "工作表超过 100 列" in guard_verdict(data)
