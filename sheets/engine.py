"""The bulk importer: one code path for the command line, the web page and the Celery task.

django-import-export's row-by-row machinery runs at a few hundred rows per second; a district
register has a hundred thousand. So this module reads the sheet with python-calamine, cleans cells
with the resource's own widgets (sheets/widgets.py), resolves relations and existing records with
one query per chunk of rows, validates with the model's `clean()` (the messages clerks read), and
writes the rows and their history rows in bulk through sheets/bulkwrite.py (COPY on PostgreSQL,
bulk_create_with_history / bulk_update_with_history elsewhere), all in one transaction per file.
Memory stays bounded: rows are processed chunk by chunk and only the keys seen so far (to report
duplicate rows) are kept for the whole file.

All or nothing: any error in any row and nothing is written (the transaction is rolled back); up to
MAX_ERRORS errors are reported, each with its Excel row number and Chinese column name.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import DatabaseError, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState

from core.periods import one_day
from core.roles import (
    OTHER_STREET_MESSAGE,
    is_community_worker,
    may_edit_records,
    sees_all_streets,
    street_of,
)
from sheets import cleaning, excel
from sheets.bulkwrite import insert_with_history, update_with_history
from sheets.cleaning import CellError
from sheets.resources import PortalResource, may_change_row, values_where_in
from sheets.signals import records_imported
from sheets.widgets import ChoiceWidget, IdNumberWidget

logger = logging.getLogger(__name__)

MAX_ERRORS = 1000
# rows listed per outcome (added, updated, unchanged) in a preview; the counts cover every row
PLAN_LIMIT = 200
CHUNK_SIZE = 2000
GC_YOUNG_OBJECTS = 50_000

MESSAGE_REQUIRED = "必填项，不能为空"
MESSAGE_NO_ROWS = "工作表中没有数据行：第1行为列名，请从第2行起填写数据"
MESSAGE_DB_CONFLICT = "写入数据库时发生冲突（可能有人同时修改了相同的记录），未写入任何数据，请重新导入"
MESSAGE_TOO_MANY_ERRORS = "错误超过{limit}条，只列出前{limit}条：请修正后重新导入"

ProgressCallback = Callable[[int, int], None]


class ImportNotAllowed(PermissionError):
    """The acting user may not import person data at all (an official, a clerk without a street)."""


@dataclass
class ImportReport:
    resource: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    rows: int = 0
    error_count: int = 0
    new_communities: list[str] = field(default_factory=list)
    # the communities a file would create, each with the nearest existing name of its street (or "")
    new_community_details: list[dict] = field(default_factory=list)
    # what a preview would do, row by row (up to PLAN_LIMIT rows of each outcome)
    plan: dict = field(default_factory=lambda: {"created": [], "updated": [], "unchanged": []})

    @property
    def accepted(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        """The JSON document of `import_excel --json` (excel-import.md), exactly these keys."""
        return {
            "resource": self.resource,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(slots=True)
class ParsedRow:
    number: int
    values: dict
    # the row's cells as read and where each column name is among them (cells are quoted in messages)
    cells: list
    positions: dict
    ok: bool = True
    # the columns already in error
    bad: set = field(default_factory=set)
    # the natural key (set by the duplicate check)
    key: tuple | None = None

    def raw(self, column: str | None):
        """The cell of `column` as the clerk typed it; None when it is empty or not in the file."""
        index = self.positions.get(column)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        return None if value is None or cleaning.is_empty(value) else value


@dataclass(slots=True)
class Column:
    index: int
    name: str
    attribute: str
    parse: Callable[[Any], Any]
    required: bool
    empty: Any
    widget: Any
    is_relation: bool


class _TooManyErrors(Exception):
    pass


# distinct cells whose cleaned value a column remembers (a street, a code, a date repeat row after row)
MEMO_LIMIT = 4096
_MISSING = object()
_TEXT_ONLY = {str}
_EMPTY = object()
# a row that leaves its stored record as it is (BulkImporter._targets)
_UNCHANGED = object()


class _Fault:
    """A cell's message, remembered like a cleaned value."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _clean_cell(parse: Callable[[Any], Any], raw) -> Any:
    if raw is None or raw == "" or (raw.__class__ is str and cleaning.is_empty(raw)):
        return _EMPTY
    try:
        return parse(raw)
    except CellError as exc:
        return _Fault(str(exc))


MESSAGE_VALUE = "{message}（填写的是：{value}）"
VALUE_LIMIT = 40


def shown_value(raw) -> str:
    """A cell as the clerk typed it, for a message: dates as 2023-05-06, long text cut short."""
    if raw is None:
        return ""
    if hasattr(raw, "isoformat"):
        text = raw.isoformat()[:10] if not hasattr(raw, "hour") or not (raw.hour or raw.minute) else str(raw)
    elif isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        text = str(int(raw))
    else:
        text = str(raw).strip()
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def with_value(message: str, raw) -> str:
    """The message followed by the value found in the cell, so that every error reads on its own."""
    text = shown_value(raw)
    if not text or "填写的是" in message:
        return message
    return MESSAGE_VALUE.format(message=message, value=text)


class ImportContext:
    """What one import run shares between the engine and the resource's hooks."""

    def __init__(self, report: ImportReport, *, user, scope_street_id: int | None, dry_run: bool) -> None:
        self.report = report
        self.user = user
        self.scope_street_id = scope_street_id
        self.dry_run = dry_run
        self.cache: dict[str, Any] = {}

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        self.report.warnings.append({"row": row, "column": column, "message": message})

    def error(
        self, row: ParsedRow | int | None, column: str | None, message: str, *, echo: bool = True
    ) -> None:
        """`echo=False` for the scope messages: they say nothing more, not even the value found."""
        if isinstance(row, ParsedRow):
            row.ok = False
            if column is not None:
                if column in row.bad:
                    return  # one message per cell: the first fault found in it
                row.bad.add(column)
                if echo and message != OTHER_STREET_MESSAGE:
                    message = with_value(message, row.raw(column))
            row = row.number
        report = self.report
        report.error_count += 1
        if len(report.errors) < MAX_ERRORS:
            report.errors.append({"row": row, "column": column, "message": message})
        else:
            raise _TooManyErrors


def scope_for(user) -> int | None:
    """The street id a user's rows must belong to; None for no restriction (staff, admins, server)."""
    if user is None or sees_all_streets(user):
        return None
    if not may_edit_records(user):
        raise ImportNotAllowed("该用户无权导入个人数据")
    if is_community_worker(user):
        # access.md: community workers never import (every door: pages, API, command line)
        raise ImportNotAllowed("社区专职委员无权导入数据")
    return street_of(user).pk


def run_import(
    resource_cls: type[PortalResource],
    data: bytes,
    *,
    user=None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    change_reason: str = "Excel导入",
    chunk_size: int = CHUNK_SIZE,
) -> ImportReport:
    """Validate (and unless `dry_run`, write) one workbook. Never raises for bad input: the report
    carries the errors. Raises ImportNotAllowed for a user who may not import."""
    resource_name = resource_cls.import_name
    report = ImportReport(resource=resource_name, dry_run=dry_run)
    context = ImportContext(report, user=user, scope_street_id=scope_for(user), dry_run=dry_run)
    importer = BulkImporter(resource_cls, context, change_reason=change_reason, chunk_size=chunk_size)
    try:
        with one_day(), _collector_set_aside():  # every row is checked against the same day
            importer.run(data, progress)
    except excel.BadFile as exc:
        report.errors = [{"row": exc.row, "column": exc.column, "message": exc.message}]
        report.error_count = 1
    except DatabaseError:
        logger.exception("import of %s failed while writing", resource_name)
        report.errors.append({"row": None, "column": None, "message": MESSAGE_DB_CONFLICT})
    if not dry_run and not report.errors and (report.created or report.updated):
        records_imported.send(sender=importer.model, report=report)
    if report.errors:
        report.errors.sort(key=lambda error: error["row"] or 0)
        report.created = report.updated = report.unchanged = 0
        report.new_communities = []
        report.new_community_details = []
        report.plan = {"created": [], "updated": [], "unchanged": []}
    return report


_collector_lock = threading.Lock()
_collector_users = 0
_collector_saved: tuple[int, ...] | None = None


@contextmanager
def _collector_set_aside() -> Iterator[None]:
    """Python's cycle collector, eased for the imports running in this process.

    It would walk the whole process (Django, the apps) again and again while rows pile up: what lived
    before the first import is set aside (`gc.freeze()`), and the young collection runs every
    GC_YOUNG_OBJECTS new container objects instead of every 700 (the default): the rows of a chunk
    are alive until it is written, each young collection and each promotion walked them again
    (gc.callbacks: 727 collections, 0.23 s for 50,000 new persons; 401 and 0.15 s in a re-import;
    now 33 and 0.04 s, 1 and 0.01 s). Both are process-wide and a gthread worker may run two imports
    at once: the first in sets them, the last out restores them. A process whose collector is
    switched off is left as it is."""
    global _collector_users, _collector_saved
    with _collector_lock:
        _collector_users += 1
        if _collector_users == 1 and gc.isenabled() and gc.get_threshold()[0]:
            _collector_saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(_collector_saved[0], GC_YOUNG_OBJECTS), *_collector_saved[1:])
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0 and _collector_saved is not None:
                gc.set_threshold(*_collector_saved)
                gc.unfreeze()
                _collector_saved = None


class _Rollback(Exception):
    pass


@dataclass(slots=True)
class _Batch:
    """One chunk's records to write, and the updated ones for the resource's after_rows."""

    creates: list
    updates: list
    changed_fields: set
    updated_rows: list


class BulkImporter:
    def __init__(
        self, resource_cls: type[PortalResource], context: ImportContext, *, change_reason, chunk_size
    ):
        self.resource_cls = resource_cls
        self.resource = resource_cls()
        self.model = resource_cls.model()
        self.context = context
        self.change_reason = change_reason
        self.chunk_size = chunk_size
        self.key_attributes = resource_cls.key_attributes()
        self.key_attnames = [self.model._meta.get_field(a).attname for a in self.key_attributes]
        self.key_columns = [resource_cls.column_of(a) for a in self.key_attributes]
        skip = {self.model._meta.pk.attname, "created_at", "updated_at"}
        self.tracked = [f.attname for f in self.model._meta.concrete_fields if f.attname not in skip]
        # field name -> (its place in a stored record: pk first, then the tracked values; a relation?)
        self.stored_positions = {
            f.name: (1 + self.tracked.index(f.attname), f.is_relation)
            for f in self.model._meta.concrete_fields
            if f.attname in self.tracked
        }
        self.seen_keys: dict[tuple, int] = {}
        self.new_instance = _instance_maker(self.model)
        self.comparisons: dict[tuple, tuple | None] = {}

    # ------------------------------------------------------------ driver

    def run(self, data: bytes, progress: ProgressCallback | None) -> None:
        sheet = excel.open_sheet(data)
        try:
            rows = sheet.rows()
            header = next(rows, None)
            if header is None:
                raise excel.BadFile(excel.MESSAGE_EMPTY_SHEET)
            self.columns = self._map_columns(*header)
            self.memos = [{} for _column in self.columns]
            self.positions = {column.name: column.index for column in self.columns}
            self._prepare_validators()
            total = sheet.data_rows_estimate
            try:
                with transaction.atomic():
                    self._run_chunks(rows, total, progress)
                    if self.context.report.errors or self.context.dry_run:
                        raise _Rollback
            except _Rollback:
                pass
        finally:
            sheet.close()
        if not self.context.report.rows and not self.context.report.errors:
            raise excel.BadFile(MESSAGE_NO_ROWS, row=2)

    def _run_chunks(self, rows: Iterator, total: int, progress: ProgressCallback | None) -> None:
        report = self.context.report
        processed = 0
        while True:
            chunk = list(islice(rows, self.chunk_size))
            if not chunk:
                break
            processed += len(chunk)
            try:
                batch = self._check_chunk(*self._prepare_chunk(chunk))
                if batch is not None:
                    self._write(batch)
            except _TooManyErrors:
                report.warnings.append(
                    {"row": None, "column": None, "message": MESSAGE_TOO_MANY_ERRORS.format(limit=MAX_ERRORS)}
                )
                break
            if progress is not None:
                progress(min(processed, total), total)

    # ------------------------------------------------------------ header

    def _map_columns(self, header_row: int, cells: list) -> list[Column]:
        by_name: dict[str, int] = {}
        unknown: list[str] = []
        known = {f.column_name: f for f in self.resource_cls.portal_fields()}
        for index, cell in enumerate(cells):
            if cleaning.is_empty(cell):
                continue
            name = _header_name(cell)
            if name in by_name:
                raise excel.BadFile(f"列名“{name}”出现了两次，请删除重复的列", row=header_row, column=name)
            if name in known:
                by_name[name] = index
            else:
                unknown.append(name)
        missing = [f.column_name for f in known.values() if f.required and f.column_name not in by_name]
        if missing:
            names = "、".join(missing)
            raise excel.BadFile(
                f"缺少必填列：{names}（第{header_row}行应为列名，请使用导入模板）",
                row=header_row,
                column=names,
            )
        if unknown:
            self.context.report.warnings.append(
                {
                    "row": header_row,
                    "column": "、".join(unknown),
                    "message": f"以下列不属于“{self.resource_cls.import_title}”模板，已忽略：{'、'.join(unknown)}",
                }
            )
        columns = []
        for name, index in by_name.items():
            portal_field = known[name]
            attribute = portal_field.attribute
            columns.append(
                Column(
                    index=index,
                    name=name,
                    attribute=attribute,
                    parse=portal_field.widget.parse,
                    required=portal_field.required,
                    empty=self.resource_cls.empty_value(attribute),
                    widget=portal_field.widget,
                    is_relation=portal_field.is_relation,
                )
            )
        return columns

    def _prepare_validators(self) -> None:
        """Model field validators (ranges, lengths) of the columns present, run on each value."""
        self.validators = []
        for column in self.columns:
            if column.is_relation:
                continue
            model_field = self.model._meta.get_field(column.attribute)
            validators = [v for v in model_field.validators if not _checked_by_widget(v, column.widget)]
            if validators:
                self.validators.append((column.attribute, validators, column.name))

    # ------------------------------------------------------------ one chunk

    def _prepare_chunk(self, chunk: list[tuple[int, list]]) -> tuple[list[ParsedRow], list]:
        """The chunk's rows cleaned, resolved and checked for duplicates, each with its target
        (BulkImporter._targets): everything that reads the database."""
        context = self.context
        parsed = self._parse_cells(chunk)
        context.report.rows += len(parsed)
        self._resolve_relations(parsed)
        # Every fault of a row at once: rows with a bad cell still go through the checks that do
        # not depend on that cell (relations, communities, the model's clean()), they are only
        # never written. Rows whose relations failed skip the hooks that need them.
        relations = {column.name for column in self.columns if column.is_relation}
        self.resource.prepare_rows([row for row in parsed if not (row.bad & relations)], context)
        keys = set(self.key_columns)
        rows = [row for row in parsed if not (row.bad & relations) and not (row.bad & keys)]
        rows = [row for row in rows if self._check_duplicate(row)]
        return rows, self._targets(rows)

    def _check_chunk(self, rows: list[ParsedRow], targets: list) -> _Batch | None:
        """Validate the rows against their targets; what to write (None: nothing, an error was found
        or this is a preview)."""
        context = self.context
        creates, updates, changed_fields, updated_rows = [], [], set(), []
        plan = context.report.plan
        for row, target in zip(rows, targets, strict=True):
            if target is _UNCHANGED:
                context.report.unchanged += 1
                continue
            instance, changed, previous = self._build(row, target)
            if instance is None:
                continue
            if changed is None:
                creates.append(instance)
                if context.dry_run and len(plan["created"]) < PLAN_LIMIT:
                    plan["created"].append({"row": row.number, "record": str(instance)})
            elif changed:
                updates.append(instance)
                changed_fields.update(changed)
                updated_rows.append((row.number, instance, previous))
                if context.dry_run and len(plan["updated"]) < PLAN_LIMIT:
                    plan["updated"].append(
                        {
                            "row": row.number,
                            "record": str(instance),
                            "changes": self._changes(instance, changed, previous),
                        }
                    )
            else:
                context.report.unchanged += 1
                if context.dry_run and len(plan["unchanged"]) < PLAN_LIMIT:
                    plan["unchanged"].append({"row": row.number, "record": str(instance)})
        context.report.created += len(creates)
        context.report.updated += len(updates)
        if context.report.errors:
            return None
        if context.dry_run:
            if updated_rows:
                self.resource.after_rows(
                    updated_rows, acting_user=context.user, dry_run=True, warn=context.warn
                )
            return None
        return _Batch(creates, updates, changed_fields, updated_rows)

    # ------------------------------------------------------------ cells

    def _parse_cells(self, chunk: list[tuple[int, list]]) -> list[ParsedRow]:
        """Clean the chunk column by column. A column's distinct cells are cleaned once (a street, a
        code, a date repeat from row to row): the result, or the message, is remembered."""
        context = self.context
        columns = self.columns
        empties = [0] * len(chunk)
        missing: dict[int, list[str]] = {}
        problems: dict[int, list[tuple[str, str]]] = {}
        rows_cells = [cells for _number, cells in chunk]
        if len({len(cells) for cells in rows_cells}) == 1:
            sheet_columns = list(zip(*rows_cells, strict=True))  # the sheet's rows are all as wide
            width = len(sheet_columns)
            by_index = [sheet_columns[c.index] if c.index < width else [None] * len(chunk) for c in columns]
        else:
            by_index = [
                [cells[c.index] if c.index < len(cells) else None for cells in rows_cells] for c in columns
            ]
        outputs = [
            self._parse_column(column, memo, raws, empties, missing, problems)
            for column, memo, raws in zip(columns, self.memos, by_index, strict=True)
        ]
        attributes = [column.attribute for column in columns]
        width = len(columns)
        positions = self.positions
        parsed, faulty = [], []
        rows_values = map(dict, map(zip, repeat(attributes), zip(*outputs, strict=True)))
        for i, ((number, cells), values) in enumerate(zip(chunk, rows_values, strict=True)):
            if empties[i] == width:
                continue  # an empty line between records is not an error
            row = ParsedRow(number, values, cells, positions)
            parsed.append(row)
            if i in missing or i in problems:
                faulty.append((i, row))
        for i, row in faulty:
            for name in missing.get(i, ()):
                context.error(row, name, MESSAGE_REQUIRED)
            for name, message in problems.get(i, ()):
                context.error(row, name, message)
        return parsed

    @staticmethod
    def _parse_column(column: Column, memo: dict, raws: list, empties: list, missing: dict, problems: dict):
        # bool, int and float are equal across types (True == 1 == 1.0): typed keys keep them apart;
        # a column of text (most of them) is looked up as it is, at C speed
        if set(map(type, raws)) == _TEXT_ONLY:
            keys = raws
        else:
            keys = [raw if raw.__class__ is str else (raw.__class__, raw) for raw in raws]
        results = list(map(memo.get, keys, repeat(_MISSING)))
        if _MISSING in results:
            parse = column.parse
            cleaned_now: dict = {}
            for i, result in enumerate(results):
                if result is not _MISSING:
                    continue
                key = keys[i]
                result = cleaned_now.get(key, _MISSING)
                if result is _MISSING:
                    result = cleaned_now[key] = _clean_cell(parse, raws[i])
                    if len(memo) < MEMO_LIMIT:
                        memo[key] = result
                results[i] = result
        if _EMPTY not in results and _Fault not in set(map(type, results)):
            return results
        empty, name, required = column.empty, column.name, column.required
        cleaned = []
        append = cleaned.append
        for i, result in enumerate(results):
            if result is _EMPTY:
                empties[i] += 1
                if required:
                    missing.setdefault(i, []).append(name)
                append(empty)
            elif result.__class__ is _Fault:
                problems.setdefault(i, []).append((name, result.message))
                append(empty)
            else:
                append(result)
        return cleaned

    def _resolve_relations(self, rows: list[ParsedRow]) -> None:
        for column in self.columns:
            if not column.is_relation:
                continue
            attribute = column.attribute
            keys = {
                row.values[attribute]
                for row in rows
                if column.name not in row.bad and row.values.get(attribute)
            }
            found = column.widget.resolve_many(keys)
            for row in rows:
                if column.name in row.bad:
                    row.values[attribute] = None
                    continue
                key = row.values.get(attribute)
                if not key:
                    row.values[attribute] = None
                    continue
                obj = found.get(key)
                if obj is None:
                    self.context.error(row, column.name, column.widget.not_found)
                else:
                    row.values[attribute] = obj

    def _key_of_values(self, values: dict) -> tuple:
        key = []
        for attribute in self.key_attributes:
            value = values.get(attribute)
            key.append(value.pk if isinstance(value, models.Model) else value)
        return tuple(key)

    def _check_duplicate(self, row: ParsedRow) -> bool:
        key = row.key = self._key_of_values(row.values)
        first = self.seen_keys.get(key)
        if first is not None:
            columns = "、".join(self.key_columns)
            self.context.error(row, self.key_columns[-1], f"与第{first}行重复（{columns}相同）")
            return False
        self.seen_keys[key] = row.number
        return True

    # ------------------------------------------------------------ existing records

    def _targets(self, rows: list[ParsedRow]) -> list:
        """For each row: None (a new record), its stored record (an instance, to update or to check),
        or _UNCHANGED. Stored records are read as plain values, one query per chunk; only those a row
        may change (or that a preview lists) become model instances, with a second query."""
        if not rows:
            return []
        stored = self._load_stored(rows)
        context = self.context
        shortcut = self.resource_cls.skip_unchanged_rows
        # a preview lists the first unchanged rows by name: those take the full path
        plan_room = PLAN_LIMIT - len(context.report.plan["unchanged"]) if context.dry_run else 0
        targets, to_load = [], []
        for row in rows:
            record = stored.get(row.key)
            if record is None:
                targets.append(None)
                continue
            if shortcut and row.ok and self._unchanged(row.values, record):
                if plan_room <= 0:
                    targets.append(_UNCHANGED)
                    continue
                plan_room -= 1
            targets.append(record[0])
            to_load.append(record[0])
        if not to_load:
            return targets
        queryset = self.resource.existing_queryset().filter(pk__in=to_load)
        instances = {obj.pk: obj for obj in queryset}
        # a record deleted meanwhile is new again (its insert then fails on the key: nothing is written)
        return [instances.get(t) if t is not None and t is not _UNCHANGED else t for t in targets]

    def _load_stored(self, rows: list[ParsedRow]) -> dict[tuple, tuple]:
        """Stored records of the chunk's keys: natural key -> (pk, *tracked values)."""
        first_values = list({row.key[0] for row in rows})
        names = [self.model._meta.pk.attname, *self.tracked]
        # by primary key, not the model's default ordering (persons: by street, a join, then by name):
        # should two records ever share a key, the dict below keeps the same one every time
        queryset = self.resource.existing_queryset().order_by("pk")
        records = values_where_in(queryset, self.key_attnames[0], first_values, names)
        key_positions = [names.index(a) for a in self.key_attnames]
        if len(key_positions) == 1:
            position = key_positions[0]
            return {(record[position],): record for record in records}
        return {tuple(record[p] for p in key_positions): record for record in records}

    def _unchanged(self, values: dict, record: tuple) -> bool:
        """Whether a row (no fault found in it) leaves its stored record as it is, for a clerk allowed
        to touch it. Such a row is unchanged without building the record, running the model's
        clean() and the resource's rules again, as django-import-export skips unchanged rows."""
        scope = self.context.scope_street_id
        if scope is not None:
            if self.resource_cls.scope_via == "street":
                street = values.get("street")
                if (
                    street is None
                    or street.pk != scope
                    or record[self.stored_positions["street"][0]] != scope
                ):
                    return False
            else:
                related = values.get(self.resource_cls.scope_via)
                if related is None or related.street_id != scope:
                    return False
        comparison = self._comparison(tuple(values))
        if comparison is None:
            return False
        row_values, stored_values, attributes, relations = comparison
        same_as_stored = self.resource.same_as_stored
        for attribute, index in relations:
            value, stored = values[attribute], record[index]
            if value is not None:
                if not isinstance(value, models.Model) or value.pk is None:
                    return False  # a record to create first (a new community) is a change
                value = value.pk
            if value != stored and not same_as_stored(attribute, value, stored, values):
                return False
        new, old = row_values(values), stored_values(record)
        if new == old:
            return True
        return all(
            value == stored or same_as_stored(attribute, value, stored, values)
            for attribute, value, stored in zip(attributes, new, old, strict=True)
        )

    def _comparison(self, attributes: tuple) -> tuple | None:
        """How a row with these attributes compares to a stored record: getters of its plain values
        and of theirs (tuples compared at once), and the relations to compare by id. None: a value
        that is not a stored field."""
        if attributes in self.comparisons:
            return self.comparisons[attributes]
        plain, places, relations = [], [], []
        comparison = None
        for attribute in attributes:
            position = self.stored_positions.get(attribute)
            if position is None:
                break
            index, is_relation = position
            if is_relation:
                relations.append((attribute, index))
            else:
                plain.append(attribute)
                places.append(index)
        else:
            comparison = (_tuple_getter(plain), _tuple_getter(places), plain, relations)
        self.comparisons[attributes] = comparison
        return comparison

    def _build(
        self, row: ParsedRow, instance: models.Model | None
    ) -> tuple[models.Model | None, list[str] | None, dict | None]:
        """The instance for a row, its changed attributes (None: new; []: unchanged) and, for an
        existing record, its stored values by attname."""
        context = self.context
        values = row.values
        had_errors = not row.ok
        if instance is None:
            instance = self.new_instance(values)
            before = None
        else:
            before = [getattr(instance, a) for a in self.tracked]
            for attribute, value in values.items():
                setattr(instance, attribute, value)
        self.resource.adjust_instance(instance, values, before is None)
        # Scope first: a record of another street gets this one message and nothing else, so that
        # validation against its stored values (a death date, a status) tells the clerk nothing.
        if context.scope_street_id is not None:
            previous = None if before is None else dict(zip(self.tracked, before, strict=True))
            scope_error = self._scope_error(instance, previous)
            if scope_error is not None:
                context.error(row, *scope_error, echo=False)
                return None, None, None
        for attribute, validators, column in self.validators:
            value = values.get(attribute)
            if value is None or value == "":
                continue
            try:
                for validator in validators:
                    validator(value)
            except ValidationError as exc:
                context.error(row, column, "；".join(exc.messages))
        try:
            instance.clean()
        except ValidationError as exc:
            self._report_validation_error(row, exc)
        except (TypeError, ValueError, AttributeError):
            # clean() of a row with an emptied bad cell may trip over it: the cell's own error stands
            if not had_errors:
                raise
        if not row.ok:
            return None, None, None
        previous = None if before is None else dict(zip(self.tracked, before, strict=True))
        try:
            self.resource.check_rules(instance, previous)
        except ValidationError as exc:
            self._report_validation_error(row, exc)
            return None, None, None
        if previous is None:
            return instance, None, None
        changed = [a for a, old in previous.items() if getattr(instance, a) != old]
        return instance, changed, previous

    def _changes(self, instance: models.Model, changed: list[str], previous: dict) -> list[dict]:
        """The changed columns of an update, old → new as a clerk reads them (codes as their labels,
        related records by name, bank accounts masked); derived fields are left out."""
        changes = []
        for attname in changed:
            field = next(f for f in self.model._meta.concrete_fields if f.attname == attname)
            column = self.resource_cls.column_of(field.name)
            if column is None:
                continue
            old, new = previous[attname], getattr(instance, field.name)
            if field.is_relation:
                old = field.related_model._default_manager.filter(pk=old).first() if old else None
            display = self.resource_cls.change_display.get(field.name)
            changes.append(
                {"column": column, "old": _shown(field, old, display), "new": _shown(field, new, display)}
            )
        return changes

    def _scope_error(self, instance: models.Model, previous: dict | None) -> tuple[str, str] | None:
        """(column, message) for a row the user may not write (core.scoping.ensure_may_change, the
        rule of every door), checked on the record as the row makes it and, for a record the row may
        move, as stored; None for a row in scope."""
        user = self.context.user
        column = self.resource_cls.scope_column()
        if self.resource_cls.street_id_of(instance) is None:
            # its person or street did not resolve: nothing to write, the cell's own error stands
            return column, OTHER_STREET_MESSAGE
        if not may_change_row(user, instance, None):
            return column, OTHER_STREET_MESSAGE
        if not may_change_row(user, instance, self.resource.stored(instance, previous)):
            # A row of the clerk's own street whose key is another street's record: a duplicate the
            # resource may name (persons: "该公民身份号码已在其他街道登记"); otherwise the scope message.
            return self.resource_cls.existing_elsewhere_error() or (column, OTHER_STREET_MESSAGE)
        return None

    def _report_validation_error(self, row: ParsedRow, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.context.error(row, None, "；".join(exc.messages))
            return
        for name, errors in exc.message_dict.items():
            column = None if name == NON_FIELD_ERRORS else self.resource_cls.column_of(name)
            for message in errors:
                self.context.error(row, column, message)

    # ------------------------------------------------------------ writing

    def _write(self, batch: _Batch) -> None:
        context = self.context
        self.resource.before_write(context)
        fields = sorted(_field_names(self.model, batch.changed_fields))
        if self.resource.write(batch.creates, batch.updates, fields, context):
            self._after_rows(batch)
            return
        self._write_records(batch, fields)
        self._after_rows(batch)

    def _write_records(self, batch: _Batch, fields: list[str]) -> None:
        user, reason = self.context.user, self.change_reason
        insert_with_history(self.model, batch.creates, user=user, change_reason=reason)
        update_with_history(self.model, batch.updates, fields, user=user, change_reason=reason)

    def _after_rows(self, batch: _Batch) -> None:
        if batch.updated_rows:
            self.resource.after_rows(
                batch.updated_rows, acting_user=self.context.user, dry_run=False, warn=self.context.warn
            )


def _tuple_getter(items: list) -> Callable[[Any], tuple]:
    """itemgetter that always returns a tuple (itemgetter of one item returns the item)."""
    if len(items) == 1:
        only = items[0]
        return lambda container: (container[only],)
    if not items:
        return lambda container: ()
    return itemgetter(*items)


def _instance_maker(model: type[models.Model]) -> Callable[[dict], models.Model]:
    """values by field name -> a new unsaved instance, as model(**values) leaves it (each field's
    value or default, related objects cached), without Django's per-field machinery: a quarter of
    the time, for every new row. A model with init signals, or values that are not plain fields,
    take Django's own way."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda values: model(**values)
    base, per_instance, place = {}, [], {}
    for model_field in model._meta.concrete_fields:
        if model_field.has_default() and callable(model_field.default):
            per_instance.append(model_field)
        else:
            base[model_field.attname] = model_field.get_default()
        if model_field.is_relation:
            spec = (model_field.attname, model_field.cache_name, model_field.target_field.attname)
        else:
            spec = (model_field.attname, None, None)
        place[model_field.name] = spec
    new = models.Model.__new__

    def make(values: dict) -> models.Model:
        instance = new(model)
        state = ModelState()
        attributes = instance.__dict__
        attributes.update(base)
        attributes["_state"] = state
        for model_field in per_instance:
            attributes[model_field.attname] = model_field.get_default()
        cache = state.fields_cache
        for name, value in values.items():
            spec = place.get(name)
            if spec is None:
                return model(**values)
            attname, cache_name, target = spec
            if cache_name is None:
                attributes[attname] = value
            elif value is None:
                attributes[attname] = None
                cache[cache_name] = None
            elif isinstance(value, models.Model):
                attributes[attname] = getattr(value, target)
                cache[cache_name] = value
            else:
                return model(**values)
        return instance

    return make


def _shown(field, value, display: Callable[[str], str] | None = None) -> str:
    if value is None or value == "":
        return "（空）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if display is not None:
        return display(str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model) and hasattr(value, "name"):
        return value.name
    return str(value)


def _field_names(model: type[models.Model], attnames: Iterable[str]) -> set[str]:
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    return {by_attname[a] for a in attnames}


def _checked_by_widget(validator, widget) -> bool:
    """A length limit the widget already enforces (code lists, ID numbers, bounded text)."""
    if not isinstance(validator, MaxLengthValidator):
        return False
    if isinstance(widget, ChoiceWidget | IdNumberWidget):
        return True
    max_length = getattr(widget, "max_length", None)
    return max_length is not None and max_length <= validator.limit_value


def _header_name(cell) -> str:
    """A header as typed: spaces removed, a trailing * or （必填） marker dropped."""
    name = cleaning.compact_text(cell)
    for suffix in ("（必填）", "(必填)", "*", "＊"):
        name = name.removesuffix(suffix)
    return name
