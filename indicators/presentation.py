"""How indicator figures read on pages and in exports: 1 decimal, units, status words and colours."""

from __future__ import annotations

import math
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


# ---------------------------------------------------------------------------------------------
# Year-on-year change and chart axes


@dataclass(frozen=True)
class Change:
    """A figure against the year before: ▲ / ▼ and the difference in percentage points or persons."""

    diff: float
    text: str
    css: str  # Bootstrap text colour: every plan indicator is better when higher


def yoy_change(current: float | None, previous: float | None, unit: str) -> Change | None:
    """None when either year has no figure (a rate with an empty denominator is no 0 %)."""
    if current is None or previous is None:
        return None
    diff = current - previous
    if unit == "人":
        shown = round(diff)
        amount = f"{abs(shown):,}人"
    else:
        shown = round(diff, 1)
        amount = f"{abs(shown):.1f}个百分点"
    if shown > 0:
        return Change(round(diff, 4), f"▲ {amount}", "success")
    if shown < 0:
        return Change(round(diff, 4), f"▼ {amount}", "danger")
    return Change(round(diff, 4), "持平", "secondary")


NICE_STEPS = (1, 2, 2.5, 5, 10)


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw`."""
    if raw <= 0:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in NICE_STEPS if step * power >= raw - 1e-12)


def axis_bounds(numbers, unit: str, *, ticks: int = 5) -> dict:
    """The value axis of a chart, fitted to its figures (values and targets) with some padding.

    Rates of 89–98 % read on 86–100 %, not flattened on 0–100 %. Bounds fall on a round step so
    the axis labels are round; a rate axis stays within 0–100 % unless a figure lies outside (K01's
    growth can be negative), a count never goes below 0. `interval` is the step between axis labels
    (85, 87.5, 90 … rather than the library's 85, 87, 90, 93). No figure at all: None throughout
    (the chart library chooses).
    """
    figures = [float(n) for n in numbers if n is not None]
    if not figures:
        return {"min": None, "max": None, "interval": None}
    low, high = min(figures), max(figures)
    span = high - low
    pad = span * 0.15 if span > 0 else max(abs(high) * 0.05, 5.0 if unit == "%" else 1.0)
    step = _nice_step((span + 2 * pad) / ticks)
    axis_min = math.floor((low - pad) / step) * step
    axis_max = math.ceil((high + pad) / step) * step
    if low >= 0:
        axis_min = max(axis_min, 0)
    if unit == "%" and high <= 100:
        axis_max = min(axis_max, 100)
    if axis_max <= axis_min:  # a single figure on a bound (100 %, or 0)
        axis_max = axis_min + step
    return {"min": _plain(axis_min), "max": _plain(axis_max), "interval": _plain(step)}


def _plain(number: float) -> float | int:
    number = round(number, 6)
    return int(number) if number == int(number) else number


def chinese_quotes(text: str) -> str:
    """Straight double quotes in pairs as Chinese ones: 每个"残疾人之家" → 每个“残疾人之家”
    (a quote without its pair stays straight)."""
    parts = text.split('"')
    out = [parts[0]]
    pairs = (len(parts) - 1) // 2 * 2
    for index, part in enumerate(parts[1:], start=1):
        mark = ("“" if index % 2 else "”") if index <= pairs else '"'
        out.append(mark + part)
    return "".join(out)
