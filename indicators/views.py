"""Pages: KPI dashboard, evaluation report, Excel export, gap lists, run log, targets."""

from __future__ import annotations

import time
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from imports import xlsx
from registry.access import person_data_required, staff_required
from registry.audit import log_access, log_export
from registry.models import AccessLog, Street
from registry.roles import sees_person_data, street_of

from . import selectors
from .engine import DEFINITIONS, GAP_CODES
from .forms import TargetGridForm
from .locks import computation_in_progress
from .models import Indicator, IndicatorRun, ReferenceGrowth, RunStatus, Target
from .plan import PLAN_YEARS
from .presentation import Status, extras_of, fmt_number, fmt_target, fraction_text, status_of
from .services import ComputationBusy
from .tasks import recompute_indicators

GAP_PAGE_SIZE = 50


def _int_param(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _street_param(request, streets: list[Street]) -> Street | None:
    street_id = _int_param(request, "street")
    return next((s for s in streets if s.pk == street_id), None)


def _card(snap: selectors.Snapshot, code: str, year: int, street: Street | None) -> dict:
    meta = snap.meta[code]
    street_id = street.pk if street else None
    row = snap.value(code, year, street_id)
    base_row = snap.value(code, 2020, street_id)
    gap_url = None
    if code in GAP_CODES:
        gap_url = reverse("indicators:gap_list", kwargs={"code": code, "year": year})
        if street:
            gap_url += "?" + urlencode({"street": street.pk})
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
        "row": row,
        "beyond_plan": beyond_plan,
        "value_text": fmt_number(row.value if row else None, meta["unit"]),
        "target_text_value": "规划期外（未设目标）"
        if beyond_plan
        else fmt_target(row.target if row else None, meta["unit"]),
        "status": status,
        "fraction": fraction_text(row, code),
        "extras": extras_of(row),
        "computed_2020": fmt_number(base_row.value if base_row else None, meta["unit"]),
        "gap_url": gap_url,
    }


@require_GET
def dashboard(request):
    """Every role: aggregates only (officials are its main readers). Reads snapshots, never persons."""
    snap = selectors.snapshot()
    year = _int_param(request, "year")
    if year not in snap.years:
        year = snap.default_year()
    street = _street_param(request, snap.streets)
    compare = request.GET.get("compare")
    if compare not in snap.meta:
        compare = "K03"
    context = {"snap": snap, "year": year, "street": street, "compare": compare, "last_run": snap.last_run}
    if year is not None:
        street_id = street.pk if street else None
        context["cards"] = [_card(snap, code, year, street) for code in snap.codes]
        context["comparison"] = _comparison(snap, compare, year)
        context["coverage"] = [
            {"street": s, "row": snap.coverage.get((year, s.pk if s else None))}
            for s in [None, *snap.streets]
        ]
        context["chart_data"] = {
            "trend": {
                code: {
                    "name": snap.meta[code]["name"],
                    "unit": snap.meta[code]["unit"],
                    "years": snap.years,
                    "values": [_rounded(snap.value(code, y, street_id), "value") for y in snap.years],
                    "targets": [_rounded(snap.value(code, y, street_id), "target") for y in snap.years],
                }
                for code in snap.codes
            },
            "comparison": {
                "code": compare,
                "name": snap.meta[compare]["name"],
                "unit": snap.meta[compare]["unit"],
                "streets": [r["street"].short_name for r in context["comparison"]],
                "values": [_rounded(r["row"], "value") for r in context["comparison"]],
            },
        }
    return render(request, "indicators/dashboard.html", context)


def _rounded(row, field: str, digits: int = 2):
    number = getattr(row, field, None) if row is not None else None
    return None if number is None else round(number, digits)


def _comparison(snap: selectors.Snapshot, code: str, year: int) -> list[dict]:
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
            }
        )
    return rows


REPORT_TITLES = {2023: "中期评估", 2025: "期终评估"}


@require_GET
def report(request):
    """Printable evaluation report: 中期评估 (2023) and 期终评估 (2025); other years as 年度评估."""
    snap = selectors.snapshot()
    year = _int_param(request, "year")
    if year not in snap.years:
        year = 2025 if 2025 in snap.years else snap.default_year()
    rows = []
    matrix = []
    if year is not None:
        rows = [_card(snap, code, year, None) for code in snap.codes]
        for s in snap.streets:
            cells = []
            for code in snap.codes:
                row = snap.value(code, year, s.pk)
                cells.append(
                    {
                        "text": fmt_number(row.value if row else None, snap.meta[code]["unit"]),
                        "status": status_of(row),
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


_INDICATOR_COLUMNS = [
    xlsx.Column("指标编号", width=10),
    xlsx.Column("指标名称", width=44),
    xlsx.Column("属性"),
    xlsx.Column("年度", width=8, number_format=xlsx.INTEGER),
    xlsx.Column("街道"),
    xlsx.Column("分子", number_format=xlsx.INTEGER),
    xlsx.Column("分母", number_format=xlsx.INTEGER),
    xlsx.Column("指标值", number_format=xlsx.DECIMAL),
    xlsx.Column("目标值", number_format=xlsx.INTEGER),
    xlsx.Column("是否达标"),
    xlsx.Column("附加数据", width=40),
]
_COVERAGE_COLUMNS = [
    xlsx.Column("年度", width=8, number_format=xlsx.INTEGER),
    xlsx.Column("街道"),
    xlsx.Column("已调查人数", number_format=xlsx.INTEGER),
    xlsx.Column("持证人数", number_format=xlsx.INTEGER),
    xlsx.Column("覆盖率（%）", number_format=xlsx.PERCENT),
]


def _fraction(percent: float | None) -> float | None:
    """A figure in percent (97.5) as the fraction a percent-formatted cell holds (0.975)."""
    return None if percent is None else round(percent / 100, 6)


def _indicator_row(meta: dict, code: str, year: int, street: str, v) -> tuple[list, list]:
    """One row of the 指标值 sheet and its formats: rates as percentages, K01's incomes in 元."""
    rate = meta["unit"] == "%"
    value, target = (_fraction(v.value), _fraction(v.target)) if rate else (v.value, v.target)
    formats = [None] * len(_INDICATOR_COLUMNS)
    if rate:
        formats[7] = formats[8] = xlsx.PERCENT
    if code == "K01":  # numerator and denominator are the mean incomes M(Y), M(Y-1)
        formats[5] = formats[6] = xlsx.MONEY
    row = [
        code,
        meta["name"],
        meta["attribute_label"],
        year,
        street,
        v.numerator,
        v.denominator,
        value,
        target,
        {True: "达标", False: "未达标", None: ""}[v.met],
        "；".join(f"{label} {text}" for label, text in extras_of(v)),
    ]
    return row, formats


@require_GET
def export_xlsx(request):
    """The whole indicator table of the latest runs (aggregates: every role may export it)."""
    snap = selectors.snapshot()
    names = {s.pk: s.name for s in snap.streets}
    writer = xlsx.WorkbookWriter()
    sheet = writer.add_sheet("指标值", _INDICATOR_COLUMNS)
    for (code, year, street_id), v in sorted(
        snap.values.items(),
        key=lambda item: (item[0][0], item[0][1], item[0][2] is not None, item[0][2] or 0),
    ):
        row, formats = _indicator_row(snap.meta[code], code, year, names.get(street_id, "全区"), v)
        sheet.append(row, formats=formats)
    coverage_sheet = writer.add_sheet("需求调查覆盖率", _COVERAGE_COLUMNS)
    for (year, street_id), c in sorted(
        snap.coverage.items(), key=lambda i: (i[0][0], i[0][1] is not None, i[0][1] or 0)
    ):
        coverage_sheet.append(
            [year, names.get(street_id, "全区"), c.surveyed, c.population, _fraction(c.rate)]
        )
    filename = f"鼓楼区残疾人事业主要指标_{timezone.localdate():%Y%m%d}.xlsx"
    return _xlsx_response(writer.save(), filename)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# ---------------------------------------------------------------------------------------------
# Gap lists


def _gap_args(code: str, year: int) -> None:
    if code not in GAP_CODES or not 2020 <= year <= timezone.localdate().year:
        raise Http404


def _person_detail_url(pk: int) -> str | None:
    try:
        return reverse("registry:person_detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return None


def _gap_queryset(request, code: str, year: int, street: Street | None):
    """The gap rows the user may see; a clerk's (or a chosen) street narrows the computation."""
    street = street or street_of(request.user)
    if code == "K12":
        rows = selectors.gap_homes(year).for_user(request.user).select_related("street")
        rows = rows.order_by("street__order", "name")
    else:
        rows = selectors.gap_persons(code, year, street).for_user(request.user)
        rows = rows.select_related("street", "community").order_by("street__order", "name", "pk")
    if street is not None:
        rows = rows.filter(street=street)
    return rows


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
    rows = _gap_queryset(request, code, year, street)
    page = Paginator(rows, GAP_PAGE_SIZE).get_page(request.GET.get("page"))
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
    xlsx.Column("所属街道"),
    xlsx.Column("所属社区"),
    xlsx.Column("残疾类别", width=10),
    xlsx.Column("残疾等级", width=10),
    xlsx.Column("联系电话", width=16, number_format=xlsx.TEXT),
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
                person.street.name,
                person.community.name if person.community_id else "",
                person.get_category_display(),
                person.get_grade_display(),
                person.phone,
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
    return _xlsx_response(writer.save(), f"{code}_{year}年缺口名单.xlsx")


# ---------------------------------------------------------------------------------------------
# Run log and recomputation (district staff and administrators)


@require_GET
@staff_required
def run_list(request):
    context = _run_context()
    queued = _int_param(request, "queued")
    context["poll_url"] = reverse("indicators:run_status") + (f"?since={queued}" if queued else "")
    context["poll"] = context["running"] or bool(queued)
    return render(request, "indicators/run_list.html", context)


# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286
POLL_AT_MOST_SECONDS = 15 * 60


@require_GET
@staff_required
def run_status(request):
    """The run table alone, polled by htmx while a run is queued or in progress."""
    context = _run_context()
    since = _int_param(request, "since")
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
    growth_rows = [{"year": y, "series": form[f"g_series_{y}"], "rate": form[f"g_rate_{y}"]} for y in years]
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
        {"form": form, "years": years, "grid": grid, "growth_rows": growth_rows, "history": history},
    )
