"""BulkImporter._parse_column (a column's cells cleaned through its memo) gives, cell for cell, what
cleaning each cell on its own gives: text columns looked up as they are, other columns by typed keys
(True, 1 and 1.0 stay apart), empties and faults counted per row, the memo shared across chunks and
bounded."""

import datetime as dt

import pytest

from sheets import engine
from sheets.engine import _EMPTY, BulkImporter, Column, _clean_cell, _Fault
from sheets.widgets import CodeTextWidget, DateWidget, TextWidget, YesNoWidget


def column(widget, required=False):
    return Column(
        index=0,
        name="列",
        attribute="a",
        parse=widget.parse,
        required=required,
        empty="",
        widget=widget,
        is_relation=False,
    )


def one_by_one(col, raws):
    empties, missing, problems, cleaned = [0] * len(raws), {}, {}, []
    for i, raw in enumerate(raws):
        result = _clean_cell(col.parse, raw)
        if result is _EMPTY:
            empties[i] += 1
            if col.required:
                missing.setdefault(i, []).append(col.name)
            cleaned.append(col.empty)
        elif isinstance(result, _Fault):
            problems.setdefault(i, []).append((col.name, result.message))
            cleaned.append(col.empty)
        else:
            cleaned.append(result)
    return cleaned, empties, missing, problems


CHUNKS = {
    "text": [["139", "139", " 13912345678 ", "", "   ", "1.5", "abc"], ["139", "x" * 30, "025-1234567"]],
    "typed": [[True, 1, 1.0, "1", "是", None, "", "否", 0, 0.0, False], [1.0, True, "也许", 2, "1"]],
    "typed text": [[True, 1, 1.0, "1", None, 1.5], [1.0, 1, True, False, 0]],
    "dates": [[dt.date(2020, 1, 1), "2020-01-01", None, dt.datetime(2020, 1, 1), "2020-13-01"], ["明天"]],
}
WIDGETS = {
    "text": CodeTextWidget(max_length=11),
    "typed": YesNoWidget(),
    "typed text": TextWidget(max_length=50),
    "dates": DateWidget(),
}


@pytest.mark.parametrize("kind", sorted(CHUNKS))
@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("limit", [2, 4096])
def test_a_column_cleaned_through_its_memo_is_each_cell_cleaned(kind, required, limit, monkeypatch):
    monkeypatch.setattr(engine, "MEMO_LIMIT", limit)
    col = column(WIDGETS[kind], required)
    memo = {}
    for raws in [*CHUNKS[kind], *CHUNKS[kind]]:  # again: every cell now from the memo (up to its limit)
        empties, missing, problems = [0] * len(raws), {}, {}
        cleaned = BulkImporter._parse_column(col, memo, raws, empties, missing, problems)
        assert (list(cleaned), empties, missing, problems) == one_by_one(col, raws)
        assert len(memo) <= limit
