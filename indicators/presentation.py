"""How indicator figures read on pages and in exports: 1 decimal, units, status words and colours."""

from __future__ import annotations

from dataclasses import dataclass

from .models import IndicatorValue

NO_DATA = "无数据"


def fmt_number(number: float | None, unit: str, decimals: int = 1) -> str:
    if number is None:
        return NO_DATA
    if unit == "人":
        return f"{number:,.0f}人"
    return f"{number:.{decimals}f}{unit}"


def fmt_target(target: float | None, unit: str) -> str:
    if target is None:
        return "未设目标"
    if unit == "人":
        return f"{target:,.0f}人"
    return f"{target:g}{unit}"


@dataclass(frozen=True)
class Status:
    label: str
    css: str  # Bootstrap colour and kpi-card class


def status_of(row: IndicatorValue | None, *, district_target_only: bool = False) -> Status:
    if row is None or row.value is None:
        return Status(NO_DATA, "secondary")
    if row.target is None:
        return Status("见全区目标" if district_target_only else "未设目标", "secondary")
    return Status("达标", "success") if row.met else Status("未达标", "danger")


EXTRA_LABELS = {
    "cagr_since_2020": ("2020年以来年均增速", "%"),
    "trained_in_year": ("当年培训人数", "人"),
    "living_rate": ("生活补贴覆盖率", "%"),
    "nursing_rate": ("护理补贴覆盖率", "%"),
    "served": ("托养服务人数", "人"),
    "projects": ("辅助性就业项目数", "个"),
}


def extras_of(row: IndicatorValue | None) -> list[tuple[str, str]]:
    """The side figures of a value, labelled and formatted."""
    if row is None:
        return []
    items = []
    for key, number in (row.extra or {}).items():
        label, unit = EXTRA_LABELS.get(key, (key, ""))
        if unit in ("人", "个"):
            items.append((label, NO_DATA if number is None else f"{number:,}{unit}"))
        else:
            items.append((label, fmt_number(number, unit)))
    return items


def fraction_text(row: IndicatorValue | None, code: str) -> str:
    """'412 / 415' for rates; K01 shows the two mean incomes, K02 nothing."""
    if row is None or (row.denominator is None and code != "K01"):
        return ""
    if code == "K01":
        current = "—" if row.numerator is None else f"{row.numerator:,.0f}元"
        previous = "—" if row.denominator is None else f"{row.denominator:,.0f}元"
        return f"人均收入 {current}（上年 {previous}）"
    return f"{row.numerator:,.0f} / {row.denominator:,.0f}"
