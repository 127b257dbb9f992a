"""Pages of 补贴与救助: the grant list and the person section with inline (htmx) forms.

Every view reads through `for_user(request.user)`: another street's person or grant answers 404.
The person section is loaded by htmx into the person detail page; its forms post back with htmx
and get the re-rendered section, and work as plain pages without JavaScript.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required
from core.forms import run_service
from core.periods import first_of_month, today
from core.views import form_data, is_htmx
from registry.models import Person
from registry.sections import InlineFormSection, list_view, paginate, person_or_404, person_url, record_or_404
from subsidies import selectors, services
from subsidies.filters import GrantFilter
from subsidies.forms import GrantEndForm, GrantForm
from subsidies.models import Grant, GrantKind
from subsidies.selectors import (
    grants_of_person,
    missing_entitlements,
    persons_missing_entitlements,
    standard_amount,
)


def _section_records(person: Person) -> dict:
    grants = list(grants_of_person(person))
    return {
        "grants": grants,
        "hints": missing_entitlements(person, grants=grants),
        "this_month": first_of_month(today()),
    }


SECTION = InlineFormSection(
    url_name="subsidies:person_section",
    fragment="subsidies/_person_section.html",
    page="subsidies/person_grants.html",
    form_page="subsidies/grant_form.html",
    records=_section_records,
)


grant_list = list_view(
    "subsidies/grant_list.html",
    selectors.grant_list,
    filterset_class=GrantFilter,
    export="subsidies",
    access_log="grant",
)


@require_GET
@person_data_required
def missing_list(request):
    """应享未享: the persons of the user's scope who qualify for a subsidy they do not receive."""
    queryset = persons_missing_entitlements(request.user).select_related("street").order_by("name", "id")
    page_obj, querystring = paginate(request, queryset, access_log="missing_entitlements")
    return render(
        request,
        "subsidies/missing_list.html",
        {
            "page_obj": page_obj,
            "querystring": querystring,
            "this_month": first_of_month(today()),
            "this_year": today().year,
            "nursing": GrantKind.NURSING_ALLOWANCE,
            "living": GrantKind.LIVING_ALLOWANCE,
        },
    )


def _prefilled(request) -> dict:
    """One-click registration (an 应享未享 hint): kind and start month from the query string, and the
    standard amount in force for that month."""
    initial: dict = {}
    kind = request.GET.get("kind", "")
    if kind in GrantKind.values:
        initial["kind"] = kind
    start = request.GET.get("start_month", "")
    if start:
        initial["start_month"] = start
    if kind in GrantForm.MONTHLY_KINDS:
        month = first_of_month(today())
        with contextlib.suppress(ValueError):
            month = dt.date.fromisoformat(f"{start}-01") if start else month
        amount = standard_amount(kind, month)
        if amount is not None:
            initial["monthly_amount"] = amount
    return initial


def _standards_in_force() -> dict[str, str]:
    """The monthly standard of each monthly kind this month, for the form to pre-fill."""
    month = first_of_month(today())
    standards = {kind: standard_amount(kind, month) for kind in GrantForm.MONTHLY_KINDS}
    return {kind: f"{amount:.2f}" for kind, amount in standards.items() if amount is not None}


person_section = SECTION.section_view()


@require_http_methods(["GET", "POST"])
@person_data_required
def grant_create(request, person_pk: int):
    person = person_or_404(request, person_pk)
    form = GrantForm(
        form_data(request),
        initial=_prefilled(request) if request.method == "GET" else None,
        standards=_standards_in_force(),
    )
    return SECTION.edit(
        request,
        person,
        form,
        save=lambda data: services.grant_create(acting_user=request.user, person=person, **data),
        title="登记补贴与救助",
        message=lambda saved: f"已登记{saved.get_kind_display()}（{saved.start_month:%Y-%m}起）",
    )


grant_update = SECTION.update_view(
    Grant,
    GrantForm,
    services.grant_update,
    lambda grant: f"修改{grant.get_kind_display()}",
    lambda saved: f"已保存{saved.get_kind_display()}",
)


@person_data_required
def grant_end(request, pk: int):
    """停发 (POST). The grant is looked up first so that another street's grant answers 404."""
    grant = record_or_404(request, Grant, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = grant.person
    form = GrantEndForm(request.POST)
    if form.is_valid():
        saved = run_service(
            form,
            lambda: services.grant_end(
                acting_user=request.user, grant=grant, end_month=form.cleaned_data["end_month"]
            ),
        )
        if saved is not None:
            return SECTION.done(
                request, person, f"{saved.get_kind_display()}已停发（最后发放月份 {saved.end_month:%Y-%m}）"
            )
    error = "；".join(message for errors in form.errors.values() for message in errors)
    if is_htmx(request):
        return SECTION.render(request, person, notice=f"停发失败：{error}", notice_level="danger")
    messages.error(request, f"停发失败：{error}")
    return redirect(person_url(person))
