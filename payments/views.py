"""Pages of 发放名册. Every roll, line and recovery is read through `for_user(request.user)`:
another street's roll answers 404 on every door. Writes go through payments.services."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required, staff_required
from core.models import Street
from core.periods import first_of_month, today
from core.roles import Role, may_edit_records, role_of, sees_all_streets
from core.views import act_and_tell
from payments import bankfile, selectors, services
from payments.forms import RecoveredForm, ReturnFileForm, ReturnForm, StandardForm
from payments.models import APPROVED_STATES, HeldItem, LineType, Recovery, Roll, RollState, Standard
from registry.models import AccessLog
from registry.sections import paginate
from sheets.excel import XLSX_CONTENT_TYPE


def _month_from(request, name: str = "month"):
    text = request.GET.get(name) or request.POST.get(name)
    if not text:
        return first_of_month(today())
    try:
        return services.parse_month(text)
    except ValidationError:
        return first_of_month(today())


def _roll_or_404(request, pk: int) -> Roll:
    return get_object_or_404(selectors.rolls(user=request.user), pk=pk)


def _error(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# Rolls ----------------------------------------------------------------------------------------


@require_GET
@person_data_required
def overview(request):
    """Every street's roll of a month (a clerk: his street's), with its state and totals."""
    month = _month_from(request)
    rows = selectors.month_overview(month, request.user)
    return render(
        request,
        "payments/overview.html",
        {
            "month": month,
            "rows": rows,
            "may_build": may_edit_records(request.user),
            "is_staff": sees_all_streets(request.user),
            "latest": services.latest_buildable_month(),
        },
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def roll_build(request):
    """POST street + month: build or rebuild the draft roll (GET answers 405)."""
    if (response := _post_only(request)) is not None:
        return response
    street_id = request.POST.get("street", "")
    if not street_id.isdigit():
        raise Http404
    street = get_object_or_404(Street.objects.for_user(request.user), pk=street_id)
    try:
        month = services.parse_month(request.POST.get("month", ""))
        roll = services.roll_build(acting_user=request.user, street=street, month=month)
    except ValidationError as exc:
        _error(request, exc)
        return redirect(f"{reverse('payments:overview')}?month={request.POST.get('month', '')}")
    messages.success(request, f"已生成{roll}（草稿）")
    return redirect("payments:roll_detail", pk=roll.pk)


TABS = {
    "lines": "当月明细",
    "arrears": "补发",
    "held": "暂停发放",
    "recoveries": "追回",
    "failed": "发放失败",
}


@require_GET
@person_data_required
def roll_detail(request, pk: int):
    roll = _roll_or_404(request, pk)
    tab = request.GET.get("show", "lines")
    if tab not in TABS:
        tab = "lines"
    if tab == "held":
        queryset = HeldItem.objects.filter(roll=roll).select_related("person", "grant").order_by("id")
    elif tab == "recoveries":
        queryset = Recovery.objects.filter(roll=roll).select_related("person", "recovered_by").order_by("id")
    else:
        queryset = selectors.lines_of(roll)
        if tab == "lines":
            queryset = queryset.filter(type=LineType.REGULAR)
        elif tab == "arrears":
            queryset = queryset.filter(type=LineType.ARREARS)
        else:
            queryset = queryset.filter(failed=True)
    page_obj, querystring = paginate(request, queryset)
    AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.VIEW,
        object_type="payment_roll",
        row_count=len(page_obj.object_list),
        detail=f"{roll}（{TABS[tab]}，第{page_obj.number}页）",
    )
    user = request.user
    is_staff = sees_all_streets(user)
    return render(
        request,
        "payments/roll_detail.html",
        {
            "roll": roll,
            "tab": tab,
            "tabs": TABS,
            "page_obj": page_obj,
            "querystring": querystring,
            "totals": selectors.roll_totals(roll),
            "may_build": roll.state == RollState.DRAFT and services.may_build(user, roll.street),
            "may_approve": roll.state == RollState.SUBMITTED and is_staff and roll.submitted_by_id != user.pk,
            "is_staff": is_staff,
            "is_approved": roll.state in APPROVED_STATES,
            "return_form": ReturnForm(),
            "recovered_form": RecoveredForm(initial={"recovered_on": today()}),
        },
    )


def _roll_action(request, pk: int, action, success: str):
    roll = _roll_or_404(request, pk)
    if (response := _post_only(request)) is not None:
        return response
    try:
        action(roll)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, success)
    return redirect("payments:roll_detail", pk=roll.pk)


@require_http_methods(["GET", "POST"])
@person_data_required
def roll_submit(request, pk: int):
    return _roll_action(
        request,
        pk,
        lambda roll: services.roll_submit(acting_user=request.user, roll=roll),
        "名册已提交，等待区残联审核",
    )


@require_http_methods(["GET", "POST"])
@staff_required
def roll_approve(request, pk: int):
    return _roll_action(
        request, pk, lambda roll: services.roll_approve(acting_user=request.user, roll=roll), "名册已审核通过"
    )


@require_http_methods(["GET", "POST"])
@staff_required
def roll_return(request, pk: int):
    return _roll_action(
        request,
        pk,
        lambda roll: services.roll_return(
            acting_user=request.user, roll=roll, reason=request.POST.get("reason", "")
        ),
        "名册已退回经办人",
    )


@require_http_methods(["GET", "POST"])
@staff_required
def roll_bank_file(request, pk: int):
    """POST: the bank file of an approved roll (full accounts; the export is access-logged)."""
    roll = _roll_or_404(request, pk)
    if (response := _post_only(request)) is not None:
        return response
    # written by the one workbook writer into a temporary file, then streamed (FileResponse closes,
    # and so deletes, it): memory does not grow with the lines
    output = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        bankfile.export_bank_file(acting_user=request.user, roll=roll, output=output)
    except ValidationError as exc:
        output.close()
        _error(request, exc)
        return redirect("payments:roll_detail", pk=roll.pk)
    output.seek(0)
    filename = f"bank-{roll.street.code}-{roll.month:%Y-%m}-{timezone.localtime():%Y%m%d%H%M}.xlsx"
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
@staff_required
def roll_return_file(request, pk: int):
    roll = _roll_or_404(request, pk)
    form = ReturnFileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = bankfile.import_return_file(
                acting_user=request.user, roll=roll, data=form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已导入回盘文件：{count}笔发放失败，下月名册将补发")
            return redirect(f"{reverse('payments:roll_detail', args=[roll.pk])}?show=failed")
    return render(request, "payments/return_file.html", {"roll": roll, "form": form, "errors": errors})


# Standards ------------------------------------------------------------------------------------


@require_GET
@staff_required
def standard_list(request):
    standards = Standard.objects.order_by("kind", "-effective_month")
    return render(request, "payments/standard_list.html", {"standards": standards})


@require_http_methods(["GET", "POST"])
@staff_required
def standard_edit(request, pk: int | None = None):
    standard = get_object_or_404(Standard, pk=pk) if pk else None
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in ("kind", "monthly_amount", "effective_month", "note")
        }
        try:
            if standard is None:
                services.standard_create(acting_user=request.user, **data)
            else:
                services.standard_update(
                    acting_user=request.user, standard=Standard.objects.get(pk=pk), data=data
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "补贴标准已保存")
            return redirect("payments:standard_list")
    history = (
        standard.history.select_related("history_user").order_by("-history_date")[:20] if standard else []
    )
    return render(
        request, "payments/standard_form.html", {"form": form, "standard": standard, "history": history}
    )


# Recovery ledger ------------------------------------------------------------------------------


@require_GET
@staff_required
def recovery_list(request):
    show = request.GET.get("show", "outstanding")
    queryset = selectors.recovery_ledger(user=request.user)
    if show == "outstanding":
        queryset = queryset.filter(recovered_on__isnull=True)
    queryset = queryset.select_related("person", "roll", "roll__street", "recovered_by").order_by(
        "-month", "id"
    )
    page_obj, querystring = paginate(request, queryset)
    return render(
        request,
        "payments/recovery_list.html",
        {
            "page_obj": page_obj,
            "querystring": querystring,
            "show": show,
            "form": RecoveredForm(initial={"recovered_on": today()}),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def recovery_mark(request, pk: int):
    recovery = get_object_or_404(selectors.recoveries(user=request.user), pk=pk)
    if (response := _post_only(request)) is not None:
        return response
    form = RecoveredForm(request.POST)
    act_and_tell(
        request,
        form,
        lambda: services.recovery_mark_recovered(
            acting_user=request.user,
            recovery=recovery,
            recovered_on=form.cleaned_data["recovered_on"],
            amount=form.cleaned_data["recovered_amount"],
        ),
        success="已登记追回",
    )
    # back to the list as it was filtered; never off the portal (an open redirect)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("payments:recovery_list")
    return redirect(back)


# Officials: totals only -----------------------------------------------------------------------


@require_GET
def totals(request):
    """Approved roll totals by month, street and kind (no lines, no names): every role may see them."""
    if role_of(request.user) is None:
        raise Http404
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today().year
    rows = selectors.totals_by_month_street_kind(year)
    return render(
        request,
        "payments/totals.html",
        {
            "year": year,
            "rows": rows,
            "chart_data": selectors.monthly_amounts(rows),
            "is_official": role_of(request.user) == Role.OFFICIAL,
        },
    )
