"""The bank file of an approved roll (written) and the bank's return file of failed payments (read).

The bank file is the one place where bank accounts appear in full. It is written by the portal's one
workbook writer (sheets/xlsx.py: streamed, text a spreadsheet would run as a formula neutralised);
the view streams it to the browser from a temporary file, so memory does not grow with the lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from payments import services
from payments.models import APPROVED_STATES, ROLL_KINDS, Roll, RollLine
from registry.audit import log_export
from sheets.excel import BadFile, open_sheet
from sheets.xlsx import MONEY, TEXT, Column, WorkbookWriter
from subsidies.models import GrantKind

LINE_HEADER = [
    "序号",
    "姓名",
    "公民身份号码",
    "开户银行",
    "银行账号",
    "项目",
    "所属月份",
    "金额（元）",
    "类型",
]
NO_ACCOUNT_HEADER = ["姓名", "公民身份号码", "项目", "所属月份", "金额（元）"]
RETURN_COLUMNS = {"公民身份号码": "id_number", "项目": "kind", "月份": "month", "原因": "reason"}
KIND_LABELS = dict(GrantKind.choices)
TYPE_LABELS = {"regular": "当月", "arrears": "补发"}


def _text(value) -> str:
    # the writer neutralises formulas itself
    return str(value) if value is not None else ""


LINE_COLUMNS = [
    Column(header, width=width, number_format=number_format)
    for header, (width, number_format) in zip(
        LINE_HEADER,
        [
            (8, None),
            (12, None),
            (22, TEXT),
            (20, None),
            (24, TEXT),
            (22, None),
            (10, None),
            (12, MONEY),
            (8, None),
        ],
        strict=True,
    )
]
SUMMARY_COLUMNS = [Column("", width=34), Column("", width=22, number_format=TEXT)] + [
    Column("", width=22) for _ in range(3)
]


def _write_sheets(output, sheets: Iterable[tuple[str, list[Column], bool, Iterable[list]]]) -> None:
    """Write (title, columns, header?, rows) sheets through the one workbook writer."""
    writer = WorkbookWriter(output)
    for title, columns, header, rows in sheets:
        writer.add_sheet(title, columns, header=header, freeze=header).extend(rows)
    writer.save()


def _line_rows(roll: Roll, *, with_account: bool):
    fields = (
        "person__name",
        "person__id_number",
        "person__bank_name",
        "person__bank_account",
        "kind",
        "month",
        "amount",
        "type",
    )
    queryset = RollLine.objects.filter(roll=roll)
    queryset = (
        queryset.exclude(person__bank_account="")
        if with_account
        else queryset.filter(person__bank_account="")
    )
    return (
        queryset.order_by("person__id_number", "kind", "month").values_list(*fields).iterator(chunk_size=2000)
    )


def _payment_rows(roll: Roll):
    for number, (name, id_number, bank, account, kind, month, amount, line_type) in enumerate(
        _line_rows(roll, with_account=True), start=1
    ):
        yield [
            number,
            _text(name),
            id_number,
            _text(bank),
            account,
            KIND_LABELS[kind],
            f"{month:%Y-%m}",
            amount,
            TYPE_LABELS[line_type],
        ]


def _summary_rows(roll: Roll):
    totals = RollLine.objects.filter(roll=roll).aggregate(count=Count("id"), amount=Sum("amount"))
    missing = RollLine.objects.filter(roll=roll, person__bank_account="").aggregate(
        count=Count("id"), amount=Sum("amount")
    )
    yield ["发放名册", f"{roll.street.name} {roll.month:%Y-%m}"]
    yield ["明细笔数", totals["count"]]
    yield ["金额合计（元）", totals["amount"] or Decimal("0.00")]
    yield ["无银行账号笔数（未列入发放明细）", missing["count"]]
    yield ["无银行账号金额（元）", missing["amount"] or Decimal("0.00")]
    yield []
    yield ["无银行账号的明细（请补录账号后另行发放）"]
    yield NO_ACCOUNT_HEADER
    for name, id_number, _bank, _account, kind, month, amount, _type in _line_rows(roll, with_account=False):
        yield [_text(name), id_number, KIND_LABELS[kind], f"{month:%Y-%m}", amount]


def export_bank_file(*, acting_user, roll: Roll, output) -> Roll:
    """Write the bank file of an approved roll to `output`, log the export, mark the roll 已发放."""
    if roll.state not in APPROVED_STATES:
        raise ValidationError("只有已审核的名册可以导出银行发放文件")
    _write_sheets(
        output,
        [
            ("发放明细", LINE_COLUMNS, True, _payment_rows(roll)),
            ("汇总", SUMMARY_COLUMNS, False, _summary_rows(roll)),
        ],
    )
    count = RollLine.objects.filter(roll=roll).count()
    log_export(
        user=acting_user,
        object_type="payment_bank_file",
        row_count=count,
        detail=f"{roll.street.name} {roll.month:%Y-%m} 银行发放文件（含完整银行账号）",
    )
    return services.roll_mark_exported(acting_user=acting_user, roll=roll)


# The bank's return file ------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}"
    return str(value).strip().lstrip("'")


def read_return_file(*, roll: Roll, data: bytes) -> list[tuple[int, str, str]]:
    """The failed lines named by the bank's return file: [(line id, reason)]; ValidationError with
    every bad row (row and column named) and nothing returned when anything is wrong."""
    try:
        sheet = open_sheet(data)
    except BadFile as exc:
        raise ValidationError(exc.message) from None
    try:
        rows = sheet.rows()
        try:
            header_row, header = next(rows)
        except StopIteration:
            raise ValidationError("回盘文件是空的") from None
        columns = {}
        for index, cell in enumerate(header):
            name = _cell_text(cell)
            if name in RETURN_COLUMNS:
                columns[RETURN_COLUMNS[name]] = index
        missing = [name for name, key in RETURN_COLUMNS.items() if key not in columns and key != "reason"]
        if missing:
            raise ValidationError(
                f"第{header_row}行缺少列：{'、'.join(missing)}（回盘文件应有公民身份号码、项目、月份、原因）"
            )
        lines = {
            (id_number, kind, month): pk
            for pk, id_number, kind, month in RollLine.objects.filter(roll=roll).values_list(
                "pk", "person__id_number", "kind", "month"
            )
        }
        known_ids = {key[0] for key in lines}
        errors: list[str] = []
        seen: dict[tuple, int] = {}
        found: list[tuple[int, str]] = []
        for row_number, cells in rows:
            values = {
                key: _cell_text(cells[index]) if index < len(cells) else "" for key, index in columns.items()
            }
            if not any(values.values()):
                continue
            key, problem = _return_row_key(row_number, values, lines, known_ids, seen)
            if problem:
                errors.append(problem)
                continue
            seen[key] = row_number
            found.append((lines[key], values.get("reason", "")[:200] or "银行退回"))
        if errors:
            raise ValidationError(errors)
        if not found:
            raise ValidationError("回盘文件没有数据行")
        return found
    finally:
        sheet.close()


def _return_row_key(row_number: int, values: dict, lines: dict, known_ids: set, seen: dict) -> tuple:
    """The key (id number, kind, month) of the roll's line that a return-file row names, as `(key, "")`,
    or `(None, what is wrong with the row)`."""
    id_number = values["id_number"].upper()
    if id_number not in known_ids:
        return None, f"第{row_number}行“公民身份号码”列：{id_number or '（空）'}不在该名册中"
    kind = services.KIND_BY_TEXT.get(values["kind"])
    if kind is None:
        return None, f"第{row_number}行“项目”列：{values['kind'] or '（空）'}不是名册项目"
    try:
        month = services.parse_month(values["month"])
    except ValidationError:
        return None, f"第{row_number}行“月份”列：{values['month'] or '（空）'}应为 YYYY-MM"
    key = (id_number, kind, month)
    if key not in lines:
        return None, f"第{row_number}行“月份”列：该人员{KIND_LABELS[kind]}{month:%Y-%m}不在该名册中"
    if key in seen:
        return None, f"第{row_number}行：与第{seen[key]}行重复"
    return key, ""


@transaction.atomic
def import_return_file(*, acting_user, roll: Roll, data: bytes) -> int:
    """Mark the lines named by the bank's return file 失败: they are no longer paid, so the next
    roll pays them again as arrears. All or nothing."""
    roll = Roll.objects.select_for_update().get(pk=roll.pk)
    if roll.state not in APPROVED_STATES:
        raise ValidationError("只有已审核或已发放的名册可以导入回盘文件")
    failed = read_return_file(roll=roll, data=data)
    already = set(
        RollLine.objects.filter(pk__in=[pk for pk, _ in failed], failed=True).values_list("pk", flat=True)
    )
    if already:
        raise ValidationError(f"有{len(already)}笔明细已标记为发放失败，请勿重复导入")
    for pk, reason in failed:
        RollLine.objects.filter(pk=pk).update(failed=True, paid=False, failed_reason=reason)
    roll._history_user = acting_user
    roll._change_reason = f"导入回盘文件：{len(failed)}笔发放失败"
    roll.save()
    return len(failed)


__all__ = ["ROLL_KINDS", "export_bank_file", "import_return_file", "read_return_file"]
