"""Pages of 法律救助: the consultation list (the landing page), the aid-case list, their forms and
the yearly figures.

Every read goes through `for_user(request.user)` (legal_aid.selectors): another street's record
answers 404. Lists and forms of person data are access-logged; the figures are counts and sums only
and open to every role, officials included.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required
from core.forms import run_service
from core.periods import today
from core.roles import sees_person_data
from core.views import form_data, is_htmx, vary_on_htmx
from legal_aid import selectors, services
from legal_aid.filters import AidCaseFilter, ConsultationFilter
from legal_aid.forms import AidCaseForm, ConsultationForm
from legal_aid.models import LONG_OPEN_DAYS
from registry.audit import log_access
from registry.models import AccessLog
from registry.sections import list_page, log_section_read, person_or_404

FORM_TEMPLATE = "legal_aid/record_form.html"


@require_GET
@person_data_required
def index(request):
    """The clerks' landing page: this year's counts and the consultations (newest first)."""
    return list_page(
        request,
        "legal_aid/consultation_list.html",
        selectors.consultation_list(user=request.user),
        filterset_class=ConsultationFilter,
        export="legal_consultations",
        access_log="consultation",
        active_tab="consultations",
        overview=selectors.overview(user=request.user),
        long_open_days=LONG_OPEN_DAYS,
    )


@require_GET
@person_data_required
def case_list(request):
    return list_page(
        request,
        "legal_aid/case_list.html",
        selectors.aid_case_list(user=request.user),
        filterset_class=AidCaseFilter,
        export="legal_aid_cases",
        access_log="aidcase",
        active_tab="cases",
        overview=selectors.overview(user=request.user),
        long_open_days=LONG_OPEN_DAYS,
    )


def _form_page(request, form, *, title: str, back_url: str, record=None):
    if request.method == "GET" and record is not None:
        log_access(
            request=request,
            action=AccessLog.Action.EDIT,
            object_type=record._meta.model_name,
            obj=record,
        )
    return render(
        request, FORM_TEMPLATE, {"form": form, "title": title, "back_url": back_url, "record": record}
    )


@require_GET
@person_data_required
def person_section(request, person_pk: int):
    """The person's cases and consultations, loaded into the person's page (a page of its own without htmx)."""
    person = person_or_404(request, person_pk)
    log_section_read(request, "legal_aid:person_section", person)
    context = {
        "person": person,
        "cases": selectors.person_aid_cases(person),
        "consultations": selectors.person_consultations(person),
    }
    template = "legal_aid/_person_section.html" if is_htmx(request) else "legal_aid/person_section_page.html"
    return vary_on_htmx(render(request, template, context))


def _person_from_query(request):
    """?person=<pk> of the person section's links: a person of the user's scope, or None."""
    pk = request.GET.get("person", "")
    return person_or_404(request, int(pk)) if request.method == "GET" and pk.isdigit() else None


@require_http_methods(["GET", "POST"])
@person_data_required
def consultation_create(request):
    form = ConsultationForm(form_data(request), user=request.user, person=_person_from_query(request))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.consultation_create(acting_user=request.user, **form.service_values())
        )
        if saved is not None:
            messages.success(
                request, f"已登记法律咨询（编号 {saved.number}，{saved.consulted_on:%Y-%m-%d}）。"
            )
            return redirect("legal_aid:index")
    return _form_page(request, form, title="登记法律咨询", back_url=reverse("legal_aid:index"))


@require_http_methods(["GET", "POST"])
@person_data_required
def consultation_update(request, pk: int):
    consultation = get_object_or_404(selectors.consultations(user=request.user), pk=pk)
    form = ConsultationForm(form_data(request), instance=consultation, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.consultation_update(
                acting_user=request.user, consultation=consultation, **form.service_values()
            ),
        )
        if saved is not None:
            messages.success(request, f"已保存法律咨询（编号 {saved.number}）。")
            return redirect("legal_aid:index")
    return _form_page(
        request,
        form,
        title=f"修改法律咨询：{consultation.number}",
        back_url=reverse("legal_aid:index"),
        record=consultation,
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def case_create(request):
    form = AidCaseForm(form_data(request), user=request.user, person=_person_from_query(request))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.aid_case_create(acting_user=request.user, **form.service_values())
        )
        if saved is not None:
            messages.success(
                request, f"已登记{saved.person.name}的法律救助案件（{saved.get_kind_display()}）。"
            )
            return redirect("legal_aid:case_list")
    return _form_page(request, form, title="登记法律救助案件", back_url=reverse("legal_aid:case_list"))


@require_http_methods(["GET", "POST"])
@person_data_required
def case_update(request, pk: int):
    case = get_object_or_404(selectors.aid_cases(user=request.user), pk=pk)
    form = AidCaseForm(form_data(request), instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.aid_case_update(acting_user=request.user, case=case, **form.service_values()),
        )
        if saved is not None:
            state = "已结案" if saved.closed_on else "已保存"
            messages.success(request, f"{saved.person.name}的法律救助案件{state}。")
            return redirect("legal_aid:case_list")
    return _form_page(
        request,
        form,
        title=f"修改法律救助案件：{case.person.name}（{case.get_kind_display()}）",
        back_url=reverse("legal_aid:case_list"),
        record=case,
    )


@require_GET
def figures(request):
    """Counts and sums only (no names): officials, clerks, community workers and staff."""
    years = selectors.figure_years()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else today().year
    return render(
        request,
        "legal_aid/figures.html",
        {
            "year": year,
            "years": years,
            "figures": selectors.year_figures(year),
            # those who record consultations and cases get back to them; officials see figures only
            "show_back": sees_person_data(request.user),
        },
    )
