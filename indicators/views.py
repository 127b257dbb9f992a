"""Pages: KPI dashboard, evaluation report, Excel export, gap lists, run log, targets."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.access import person_data_required, staff_required
from core.filter_fields import int_or_none
from core.models import Street
from core.roles import community_of, may_manage_indicators, sees_person_data, street_of
from organisations.selectors import plan_check
from registry import person_sheet
from registry.audit import log_access, log_export
from registry.models import AccessLog
from registry.sections import page_by_ids
from sheets import xlsx

from . import freshness, selectors
from .engine import DEFINITIONS, GAP_CODES
from .forms import TargetGridForm
from .locks import computation_in_progress
from .models import Indicator, IndicatorRun, ReferenceGrowth, RunStatus, Target
from .plan import PLAN_YEARS
from .presentation import (
    EXTRA_LABELS,
    NO_DATA,
    Status,
    axis_bounds,
    chinese_quotes,
    extras_of,
    fmt_number,
    fmt_target,
    fraction_text,
    status_of,
    yoy_change,
)
from .services import ComputationBusy
from .tasks import recompute_indicators

GAP_PAGE_SIZE = 50


def _street_param(request, streets: list[Street]) -> Street | None:
    street_id = int_or_none(request.GET.get("street"))
    return next((s for s in streets if s.pk == street_id), None)


def _served(row) -> float | None:
    """K05's headcount: persons with a placement active in the year (extra "served")."""
    if row is None:
        return None
    return (row.extra or {}).get("served")


def _target_text(code: str, row, unit: str, growth: ReferenceGrowth | None) -> str:
    target = row.target if row else None
    if code == "K01":
        if target is None:
            return "未设参考增速"
        example = growth is not None and growth.is_example and float(growth.rate) == target
        return fmt_target(target, unit) + ("（示例）" if example else "")
    return fmt_target(target, unit)


def _card(
    snap: selectors.Snapshot,
    code: str,
    year: int,
    street: Street | None,
    *,
    growth: ReferenceGrowth | None = None,
    targets_url: str | None = None,
) -> dict:
    """One indicator's card: the headline figure, its change on the year before, target and status.

    K05's headline is the headcount the plan names (托养服务人数); its need coverage, which the
    target and status judge, comes second. K01 without a reference growth rate says so and links
    staff to where they enter it (`targets_url`, for those who may).
    """
    meta = snap.meta[code]
    unit = meta["unit"]
    street_id = street.pk if street else None
    row = snap.value(code, year, street_id)
    previous = snap.value(code, year - 1, street_id)
    base_row = snap.value(code, 2020, street_id)
    gap_url = None
    if code in GAP_CODES:
        gap_url = reverse("indicators:gap_list", kwargs={"code": code, "year": year})
        if street:
            gap_url += "?" + urlencode({"street": street.pk})
    value = row.value if row else None
    value_text = fmt_number(value, unit)
    extras = extras_of(row)
    if code == "K05":
        headline_label = "托养服务人数"
        headline_text = fmt_number(_served(row), "人")
        change = yoy_change(_served(row), _served(previous), "人")
        secondary = {
            "label": "有需求者覆盖率",
            "text": value_text,
            "change": yoy_change(value, previous.value if previous else None, unit),
        }
        extras = [(label, text) for label, text in extras if label != "托养服务人数"]
    else:
        headline_label = meta["name"]
        headline_text = value_text
        change = yoy_change(value, previous.value if previous else None, unit)
        secondary = None
    target_missing_url = None
    if code == "K01" and (row is None or row.target is None):
        target_missing_url = targets_url
    # 规划期外: a year after the plan without a target entered by staff (nothing is extrapolated).
    beyond_plan = year > PLAN_YEARS[-1] and (row is None or row.target is None)
    status = status_of(row, district_target_only=code == "K02" and street is not None)
    if beyond_plan and status.label == "未设目标":
        status = Status("规划期外", "secondary")
    return {
        **meta,
        **(
            {"target_text": f"规划期外：规划目标只到{PLAN_YEARS[-1]}年，新目标由区残联录入"}
            if beyond_plan
            else {}
        ),
        "name": chinese_quotes(meta["name"]),
        "row": row,
        "beyond_plan": beyond_plan,
        "value_text": value_text,
        "headline_label": headline_label,
        "headline_text": headline_text,
        "change": change,
        "previous_year": year - 1,
        "secondary": secondary,
        "target_text_value": "规划期外（未设目标）" if beyond_plan else _target_text(code, row, unit, growth),
        "target_missing_url": target_missing_url,
        "status": status,
        "fraction": fraction_text(row, code),
        "fraction_label": "有需求者获服务 / 有需求" if code == "K05" else "分子 / 分母",
        "extras": extras,
        "computed_2020": fmt_number(base_row.value if base_row else None, unit),
        "gap_url": gap_url,
    }


def _k01_growth(snap: selectors.Snapshot, year: int) -> ReferenceGrowth | None:
    """K01's target is an example rate of the demo data until staff enter the real one: one query,
    only when there is a target to label."""
    k01 = snap.value("K01", year, None)
    if k01 is None or k01.target is None:
        return None
    return ReferenceGrowth.objects.filter(year=year).first()


@require_GET
def dashboard(request):
    """Every role: aggregates only (officials are its main readers). Reads snapshots, never persons.

    `?street=` is a street's own dashboard (every role may read any street's aggregates, access.md),
    with its communities' survey coverage counted live (one grouped query, counts only);
    `?compare=` chooses the street comparison, which the page also switches without reloading: the
    comparison of every indicator is in the page's data.
    """
    snap = selectors.snapshot()
    year = int_or_none(request.GET.get("year"))
    if year not in snap.years:
        year = snap.default_year()
    street = _street_param(request, snap.streets)
    compare = request.GET.get("compare")
    if compare not in snap.meta:
        compare = "K03"
    context = {
        "snap": snap,
        "year": year,
        "street": street,
        "compare": compare,
        "compare_options": [(code, chinese_quotes(m["name"])) for code, m in snap.meta.items()],
        "last_run": snap.last_run,
        # 规划检查 (organisations and volunteer teams per street): live, two queries, counts only
        "plan_check": plan_check(),
        # per year: when it was computed and whether a change awaits the (debounced) recompute
        "freshness": [
            {"year": y, "computed_at": snap.computed_at.get(y), "pending": y in snap.pending}
            for y in snap.years
        ],
        "refresh": freshness.refresh_notice(),
    }
    if year is not None:
        context["year_computed_at"] = snap.computed_at.get(year)
        context["year_pending"] = year in snap.pending
        street_id = street.pk if street else None
        growth = _k01_growth(snap, year)
        targets_url = None
        if may_manage_indicators(request.user):
            targets_url = reverse("indicators:targets") + "#reference-growth"
        context["cards"] = [
            _card(snap, code, year, street, growth=growth, targets_url=targets_url) for code in snap.codes
        ]
        comparisons = {code: _comparison(snap, code, year) for code in snap.codes}
        context["comparison"] = comparisons[compare]
        context["compare_meta"] = snap.meta[compare]
        context["coverage"] = [
            {"street": s, "row": snap.coverage.get((year, s.pk if s else None))}
            for s in [None, *snap.streets]
        ]
        if street is not None:
            # 各社区情况: live counts per community of the chosen street, one query, never names
            context["community_coverage"] = selectors.survey_coverage_by_community(year, street)
        context["chart_data"] = {
            "trend": {code: _trend(snap, code, street_id) for code in snap.codes},
            "comparison": {
                "selected": compare,
                "year": year,
                "current_street": street_id,  # a street's own dashboard: its bar stands out
                "indicators": {
                    code: _comparison_chart(snap, code, year, rows) for code, rows in comparisons.items()
                },
            },
        }
    return render(request, "indicators/dashboard.html", context)


def _rounded(row, field: str, digits: int = 2):
    number = getattr(row, field, None) if row is not None else None
    return None if number is None else round(number, digits)


def _trend(snap: selectors.Snapshot, code: str, street_id: int | None) -> dict:
    """An indicator's figures and targets over the computed years, with a value axis fitted to them."""
    unit = snap.meta[code]["unit"]
    rows = [snap.value(code, y, street_id) for y in snap.years]
    values = [_rounded(r, "value") for r in rows]
    targets = [_rounded(r, "target") for r in rows]
    return {
        "name": chinese_quotes(snap.meta[code]["name"]),
        "unit": unit,
        "years": snap.years,
        "values": values,
        "targets": targets,
        "axis": axis_bounds([*values, *targets], unit),
    }


def _comparison(snap: selectors.Snapshot, code: str, year: int) -> list[dict]:
    """The streets' figures of one indicator, highest first (streets without a figure last)."""
    unit = snap.meta[code]["unit"]
    rows = []
    for s in snap.streets:
        row = snap.value(code, year, s.pk)
        rows.append(
            {
                "street": s,
                "row": row,
                "value_text": fmt_number(row.value if row else None, unit),
                "fraction": fraction_text(row, code),
                "status": status_of(row, district_target_only=code == "K02"),
                "sort_value": "" if row is None or row.value is None else f"{row.value:.6f}",
                "url": "?" + urlencode({"year": year, "street": s.pk, "compare": code}),
            }
        )
    rows.sort(key=lambda r: (r["sort_value"] == "", -(r["row"].value if r["sort_value"] else 0)))
    return rows


COMPARISON_NAMES = {"K05": "残疾人托养服务：有需求者覆盖率"}


def _comparison_chart(snap: selectors.Snapshot, code: str, year: int, rows: list[dict]) -> dict:
    """The comparison chart's data: streets sorted by value, the target line, a fitted axis and, per
    street, the table row and the link to that street's dashboard. K02's target is the district's
    alone (streets have none), so its chart has no target line."""
    meta = snap.meta[code]
    target = None if code == "K02" else _rounded(snap.value(code, year, None), "target")
    values = [_rounded(r["row"], "value") for r in rows]
    return {
        "code": code,
        "name": chinese_quotes(COMPARISON_NAMES.get(code, meta["name"])),
        "unit": meta["unit"],
        "target": target,
        "target_text": fmt_target(target, meta["unit"]) if target is not None else None,
        "axis": axis_bounds([*values, target], meta["unit"]),
        "streets": [
            {
                "name": r["street"].short_name,
                "id": r["street"].pk,
                "full_name": r["street"].name,
                "order": r["street"].order,
                "value": value,
                "text": r["value_text"],
                "fraction": r["fraction"],
                "status": r["status"].label,
                "css": r["status"].css,
                "url": r["url"],
            }
            for r, value in zip(rows, values, strict=True)
        ],
    }


REPORT_TITLES = {2023: "中期评估", 2025: "期终评估"}
# The street matrix's status words (no value: the cell already says 无数据).
MATRIX_STATUS = {"未设目标": "无目标", "见全区目标": "无目标", NO_DATA: ""}


@require_GET
def report(request):
    """Printable evaluation report: 中期评估 (2023) and 期终评估 (2025); other years as 年度评估."""
    snap = selectors.snapshot()
    year = int_or_none(request.GET.get("year"))
    if year not in snap.years:
        year = 2025 if 2025 in snap.years else snap.default_year()
    rows = []
    matrix = []
    if year is not None:
        growth = _k01_growth(snap, year)
        rows = [_card(snap, code, year, None, growth=growth) for code in snap.codes]
        for s in snap.streets:
            cells = []
            for code in snap.codes:
                row = snap.value(code, year, s.pk)
                status = status_of(row)
                cells.append(
                    {
                        "text": fmt_number(row.value if row else None, snap.meta[code]["unit"]),
                        "status": status,
                        # printed in black and white too: the status in words, not colour alone
                        "status_text": MATRIX_STATUS.get(status.label, status.label),
                    }
                )
            matrix.append({"street": s, "cells": cells})
    context = {
        "snap": snap,
        "year": year,
        "title": REPORT_TITLES.get(year, "年度评估"),
        "rows": rows,
        "matrix": matrix,
        "met_count": sum(1 for r in rows if r["row"] is not None and r["row"].met),
        "coverage": [
            {"street": s, "row": snap.coverage.get((year, s.pk if s else None))}
            for s in [None, *snap.streets]
        ],
        "printed_at": timezone.localtime(),
    }
    return render(request, "indicators/report.html", context)


_OVERVIEW_COLUMNS = [
    xlsx.Column("指标编号", width=10),
    xlsx.Column("指标名称", width=46),
    xlsx.Column("属性", width=8),
    xlsx.Column("单位", width=6),
    xlsx.Column("2020年基期（规划）", width=18),
    xlsx.Column("目标说明", width=36),
    xlsx.Column("工作表", width=34),
]
# Extra figures in percent are written as fractions under a percent format, counts as integers.
_EXTRA_FORMATS = {"%": xlsx.PERCENT, "人": xlsx.INTEGER, "个": xlsx.INTEGER}


def _fraction(percent: float | None) -> float | None:
    """A figure in percent (97.5) as the fraction a percent-formatted cell holds (0.975)."""
    return None if percent is None else round(percent / 100, 6)


def _sheet_title(code: str, name: str) -> str:
    """'K03 符合条件的…' within Excel's 31 characters and without the characters it refuses."""
    title = f"{code} {chinese_quotes(name)}"
    for char in "[]:*?/\\":
        title = title.replace(char, "")
    return title[:31]


def _indicator_sheet(writer: xlsx.WorkbookWriter, snap: selectors.Snapshot, code: str) -> None:
    """One indicator: streets as rows (全区 first), years as columns; under them the district's
    target, status, numerator and denominator and side figures. Rates are percent cells (0.0%),
    counts integers, K01's mean incomes 0.00 元. K05 starts with persons served per street (its
    headline), then its need coverage in a second table."""
    meta = snap.meta[code]
    rate = meta["unit"] == "%"
    value_format = xlsx.PERCENT if rate else xlsx.INTEGER
    years = snap.years
    places = [(None, "全区"), *((s.pk, s.name) for s in snap.streets)]
    headcount = code == "K05"  # the plan's 托养服务人数 first, as on the dashboard
    columns = [xlsx.Column("托养服务人数" if headcount else "街道", width=18)] + [
        xlsx.Column(f"{y}年", width=12, number_format=xlsx.INTEGER if headcount else value_format)
        for y in years
    ]
    sheet = writer.add_sheet(_sheet_title(code, meta["name"]), columns, freeze="B2")

    def shown(number):
        return _fraction(number) if rate else number

    if headcount:
        for street_id, label in places:
            sheet.append([label, *(_served(snap.value(code, y, street_id)) for y in years)])
        sheet.append([])
        sheet.append_styled(
            ["有需求者覆盖率", *(f"{y}年" for y in years)], font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL
        )
    percent = [None, *([value_format] * len(years))]
    for street_id, label in places:
        rows = [snap.value(code, y, street_id) for y in years]
        sheet.append([label, *(shown(r.value) if r else None for r in rows)], formats=percent)
    district = [snap.value(code, y, None) for y in years]
    sheet.append([])
    sheet.append(["全区目标", *(shown(r.target) if r else None for r in district)], formats=percent)
    sheet.append(
        ["全区是否达标", *({True: "达标", False: "未达标"}.get(r.met, "") if r else "" for r in district)]
    )
    if code == "K01":  # the two mean incomes M(Y), M(Y−1)
        money = [None, *([xlsx.MONEY] * len(years))]
        sheet.append(["人均收入（元）", *(r.numerator if r else None for r in district)], formats=money)
        sheet.append(["上年人均收入（元）", *(r.denominator if r else None for r in district)], formats=money)
    elif rate:
        counts = [None, *([xlsx.INTEGER] * len(years))]
        sheet.append(["全区分子", *(r.numerator if r else None for r in district)], formats=counts)
        sheet.append(["全区分母", *(r.denominator if r else None for r in district)], formats=counts)
    keys = [
        key
        for key in dict.fromkeys(key for r in district if r for key in (r.extra or {}))
        if not (headcount and key == "served")
    ]
    for key in keys:
        label, unit = EXTRA_LABELS.get(key, (key, ""))
        number_format = _EXTRA_FORMATS.get(unit)
        numbers = [(r.extra or {}).get(key) if r else None for r in district]
        if unit == "%":
            numbers = [_fraction(n) for n in numbers]
        sheet.append([f"{label}（全区）", *numbers], formats=[None, *([number_format] * len(years))])


@require_GET
def export_xlsx(request):
    """The indicators of the latest runs, as officials read them: an overview sheet, then one sheet
    per indicator (streets × years) and the survey coverage (aggregates: every role may export)."""
    snap = selectors.snapshot()
    writer = xlsx.WorkbookWriter()
    overview = writer.add_sheet("指标一览", _OVERVIEW_COLUMNS)
    for code, meta in snap.meta.items():
        overview.append(
            [
                code,
                chinese_quotes(meta["name"]),
                meta["attribute_label"],
                meta["unit"],
                meta["baseline"],
                meta["target_text"],
                _sheet_title(code, meta["name"]),
            ]
        )
    for code in snap.codes:
        _indicator_sheet(writer, snap, code)
    coverage_columns = [xlsx.Column("街道", width=18)] + [
        xlsx.Column(f"{y}年", width=12, number_format=xlsx.PERCENT) for y in snap.years
    ]
    coverage_sheet = writer.add_sheet("需求调查覆盖率", coverage_columns, freeze="B2")
    for street_id, label in [(None, "全区"), *((s.pk, s.name) for s in snap.streets)]:
        rows = [snap.coverage.get((y, street_id)) for y in snap.years]
        coverage_sheet.append([label, *(_fraction(c.rate) if c else None for c in rows)])
    district = [snap.coverage.get((y, None)) for y in snap.years]
    counts = [None, *([xlsx.INTEGER] * len(snap.years))]
    coverage_sheet.append([])
    coverage_sheet.append(["全区已调查人数", *(c.surveyed if c else None for c in district)], formats=counts)
    coverage_sheet.append(["全区持证人数", *(c.population if c else None for c in district)], formats=counts)
    filename = f"鼓楼区残疾人事业主要指标_{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx.xlsx_response(writer.save(), filename)


# ---------------------------------------------------------------------------------------------
# Gap lists


def _gap_args(code: str, year: int) -> None:
    if code not in GAP_CODES or not 2020 <= year <= timezone.localdate().year:
        raise Http404


def _person_detail_url(pk: int) -> str:
    return reverse("registry:person_detail", kwargs={"pk": pk})


def _gap_queryset(request, code: str, year: int, street: Street | None, *, flags: bool = True):
    """The gap rows the user may see; a clerk's (or a chosen) street narrows the computation."""
    street = street or street_of(request.user)
    if code == "K12":
        rows = selectors.gap_homes(year).for_user(request.user).select_related("street")
        rows = rows.order_by("street__order", "name")
    else:
        rows = selectors.gap_persons(code, year, street, flags=flags).for_user(request.user)
        rows = rows.select_related("street", "community").order_by("street__order", "name", "pk")
    if street is not None:
        rows = rows.filter(street=street)
    return rows


def _gap_ids(request, code: str, year: int, street: Street | None):
    """The gap list's ids for page_by_ids: the homes' queryset (K12, a short list), or a reader of one
    page of persons' ids and the list's length (indicators.selectors.gap_person_ids)."""
    if code == "K12":
        return _gap_queryset(request, code, year, street, flags=False)
    street = street or street_of(request.user)
    return lambda offset, limit: selectors.gap_person_ids(
        code, year, street, user=request.user, offset=offset, limit=limit
    )


@require_GET
def gap_list(request, code: str, year: int):
    """缺口名单: persons (K12: homes) in the denominator but not in the numerator, computed live.

    Clerks see their street, staff every street; officials see counts per street, never names.
    """
    _gap_args(code, year)
    meta = selectors.indicator_meta()[code]
    parts = DEFINITIONS[code].parts
    context = {"code": code, "year": year, "meta": meta, "parts": parts, "is_homes": code == "K12"}
    if not sees_person_data(request.user):
        streets = list(Street.objects.order_by("order"))
        counts = selectors.gap_counts_by_street(code, year, streets)
        context.update(counts=counts, total=sum(c["total"] for c in counts))
        # ?street=: that street's counts per community (still no names)
        street = _street_param(request, streets)
        if street is not None:
            context.update(
                street=street, community_counts=selectors.gap_counts_by_community(code, year, street)
            )
        return render(request, "indicators/gap_counts.html", context)
    streets = list(Street.objects.for_user(request.user).order_by("order"))
    street = _street_param(request, streets)
    context["scope_notice"] = _gap_scope_notice(request, street)
    page = page_by_ids(
        _gap_ids(request, code, year, street),
        request.GET.get("page"),
        GAP_PAGE_SIZE,
        load=selectors.gap_loader(code, year),
    )
    log_access(
        request=request,
        action=AccessLog.Action.GAP_LIST,
        object_type=f"gap_list:{code}",
        rows=page.object_list,
        detail=f"{code} {year}年 {street or '全部可见街道'} 第{page.number}页",
    )
    items = [
        {
            "obj": obj,
            "url": None if code == "K12" else _person_detail_url(obj.pk),
            "missing": _missing_labels(obj, parts),
        }
        for obj in page.object_list
    ]
    querystring = urlencode({"street": street.pk}) if street else ""
    context.update(
        streets=streets,
        street=street,
        page_obj=page,
        items=items,
        querystring=querystring,
        export_url=reverse(
            "indicators:gap_export",
            kwargs={"code": code, "year": year, "street_id": street.pk if street else 0},
        ),
    )
    return render(request, "indicators/gap_list.html", context)


def _gap_scope_notice(request, street: Street | None) -> str | None:
    """Why a clerk's or a community worker's gap list is shorter than the dashboard's gap: the list
    holds only the persons he may see, whatever street (or 全区) the dashboard's link asked for."""
    community = community_of(request.user)
    if community is not None:
        return (
            f"您只能查看本社区的名单：以下为{community.street.name}{community.name}的缺口人员；"
            "看板上街道和全区的缺口人数包括其他社区。"
        )
    own = street_of(request.user)
    if own is not None and street is None:
        return f"您只能查看本街道的名单：以下为{own.name}的缺口人员；看板上全区和其他街道的缺口人数不在本名单中。"
    return None


def _missing_labels(obj, parts) -> list[str]:
    if len(parts) == 1:
        return [parts[0].label]
    return [p.label for p in parts if getattr(obj, f"missing_{p.name}", False)]


_GAP_HOME_COLUMNS = [
    xlsx.Column("机构名称", width=30),
    xlsx.Column("所属街道"),
    xlsx.Column("启用日期", width=12, number_format=xlsx.DATE),
    xlsx.Column("缺口", width=30),
]
_GAP_PERSON_COLUMNS = [
    xlsx.Column("姓名", width=12),
    xlsx.Column("公民身份号码", width=22, number_format=xlsx.TEXT),
    *person_sheet.PLACE_COLUMNS,
    xlsx.Column("缺口", width=30),
]


@require_GET
@person_data_required
def gap_export(request, code: str, year: int, street_id: int):
    """The gap list of one street (street_id 0: every visible street) as xlsx, with masked ID
    numbers; every export is logged. Another street answers 404 to a clerk."""
    _gap_args(code, year)
    meta = selectors.indicator_meta()[code]
    parts = DEFINITIONS[code].parts
    street = None
    if street_id:
        street = Street.objects.for_user(request.user).filter(pk=street_id).first()
        if street is None:
            raise Http404
    rows = _gap_queryset(request, code, year, street)
    writer = xlsx.WorkbookWriter()
    if code == "K12":
        sheet = writer.add_sheet(f"{code}缺口名单", _GAP_HOME_COLUMNS)
        count = sheet.extend([home.name, home.street.name, home.opened_on, parts[0].label] for home in rows)
    else:
        sheet = writer.add_sheet(f"{code}缺口名单", _GAP_PERSON_COLUMNS)
        count = sheet.extend(
            [
                person.name,
                person.masked_id_number,
                *person_sheet.place_cells(person),
                "、".join(_missing_labels(person, parts)),
            ]
            for person in rows.iterator(chunk_size=2000)
        )
    log_export(
        request=request,
        user=request.user,
        object_type=f"gap_list:{code}",
        row_count=count,
        detail=f"{meta['name']} {year}年缺口名单 {street or '全部可见街道'}",
    )
    return xlsx.xlsx_response(writer.save(), f"{code}_{year}年缺口名单.xlsx")


# ---------------------------------------------------------------------------------------------
# Run log and recomputation (district staff and administrators)


@require_GET
@staff_required
def run_list(request):
    context = _run_context()
    queued = int_or_none(request.GET.get("queued"))
    context["poll_url"] = reverse("indicators:run_status") + (f"?since={queued}" if queued else "")
    context["poll"] = context["running"] or bool(queued)
    context["refresh"] = freshness.refresh_notice()
    return render(request, "indicators/run_list.html", context)


# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286
POLL_AT_MOST_SECONDS = 15 * 60


@require_GET
@staff_required
def run_status(request):
    """The run table alone, polled by htmx while a run is queued or in progress."""
    context = _run_context()
    since = int_or_none(request.GET.get("since"))
    waiting = context["running"]
    if not waiting and since and time.time() - since < POLL_AT_MOST_SECONDS:
        # queued: wait until a run started after the request has finished
        started = [r for r in context["runs"] if r.started_at.timestamp() >= since - 1]
        waiting = not started or any(r.status == RunStatus.RUNNING for r in started)
    response = render(request, "indicators/_run_table.html", {**context, "oob": True, "waiting": waiting})
    if not waiting and request.headers.get("HX-Request"):
        response.status_code = HTMX_STOP_POLLING
    return response


def _run_context() -> dict:
    page_runs = list(IndicatorRun.objects.select_related("triggered_by").order_by("-started_at", "-pk")[:30])
    return {
        "runs": page_runs,
        "running": computation_in_progress(),
        "last_run": selectors.last_completed_run(),
    }


@staff_required
@require_POST
def recompute(request):
    """立即重新计算: queue the task (runs inline when Celery is eager)."""
    if computation_in_progress():
        messages.warning(request, str(ComputationBusy()))
        return redirect("indicators:run_list")
    try:
        result = recompute_indicators.delay(triggered_by_id=request.user.pk)
    except Exception:  # the broker is down: say so instead of a 500
        messages.error(request, "无法提交计算任务：任务队列不可用，请联系系统管理员")
        return redirect("indicators:run_list")
    if result.ready():
        outcome = result.get()
        if outcome["status"] == "succeeded":
            messages.success(request, "重新计算完成，看板已更新")
        elif outcome["status"] == "skipped":
            messages.warning(request, str(ComputationBusy()))
        else:
            messages.error(request, f"重新计算失败：{outcome.get('error', '')}")
    else:
        messages.info(request, "已提交重新计算，本页将自动刷新状态")
    return redirect(reverse("indicators:run_list") + f"?queued={int(time.time())}")


# ---------------------------------------------------------------------------------------------
# Targets and reference growth rates


@staff_required
def targets(request):
    years = selectors.target_years()
    indicators = list(Indicator.objects.exclude(code="K01").order_by("sort"))
    existing = {(t.indicator_id, t.year): t.value for t in Target.objects.all()}
    growth = {g.year: g for g in ReferenceGrowth.objects.all()}
    form = TargetGridForm(
        request.POST or None, indicators=indicators, years=years, existing=existing, growth=growth
    )
    if request.method == "POST" and form.is_valid():
        changed = form.save(acting_user=request.user)
        if changed:
            messages.success(request, f"已保存 {changed} 项修改。新目标在下次计算后显示在看板上。")
        else:
            messages.info(request, "没有修改")
        return redirect("indicators:targets")
    lookup = selectors.target_lookup()
    grid = [
        {
            "indicator": ind,
            "cells": [
                {"field": form[f"t_{ind.code}_{y}"], "effective": fmt_target(lookup(ind.code, y), ind.unit)}
                for y in years
            ],
        }
        for ind in indicators
    ]
    growth_rows = [
        {
            "year": y,
            "series": form[f"g_series_{y}"],
            "rate": form[f"g_rate_{y}"],
            "example": y in growth and growth[y].is_example,
        }
        for y in years
    ]
    history = sorted(
        [
            *Target.history.select_related("history_user", "indicator")[:20],
            *ReferenceGrowth.history.select_related("history_user")[:20],
        ],
        key=lambda h: h.history_date,
        reverse=True,
    )[:20]
    return render(
        request,
        "indicators/targets.html",
        {
            "form": form,
            "years": years,
            "grid": grid,
            "growth_rows": growth_rows,
            "history": history,
            "refresh": freshness.refresh_notice(),
        },
    )
