"""Pages of 法律救助: the consultation list (the landing page), the aid-case list, their forms and
the yearly figures.

Every read goes through `for_user(request.user)` (legal_aid.selectors): another street's record
answers 404. Lists and forms of person data are access-logged; the figures are counts and sums only
and open to every role, officials included.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required
from core.periods import today
from core.roles import sees_person_data
from core.views import form_data, is_htmx, saved_redirect, vary_on_htmx
from legal_aid import selectors, services
from legal_aid.filters import AidCaseFilter, ConsultationFilter
from legal_aid.forms import AidCaseForm, ConsultationForm
from legal_aid.models import LONG_OPEN_DAYS
from registry.audit import log_access
from registry.models import AccessLog
from registry.sections import list_view, log_section_read, person_or_404

FORM_TEMPLATE = "legal_aid/record_form.html"


def _overview(request) -> dict:
    return {"overview": selectors.overview(user=request.user), "long_open_days": LONG_OPEN_DAYS}


# The clerks' landing page: this year's counts and the consultations (newest first).
index = list_view(
    "legal_aid/consultation_list.html",
    selectors.consultation_list,
    filterset_class=ConsultationFilter,
    export="legal_consultations",
    access_log="consultation",
    active_tab="consultations",
    context=_overview,
)
case_list = list_view(
    "legal_aid/case_list.html",
    selectors.aid_case_list,
    filterset_class=AidCaseFilter,
    export="legal_aid_cases",
    access_log="aidcase",
    active_tab="cases",
    context=_overview,
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


def _person_from_query(request, url_name: str):
    """?person=<pk> of the person section's links: a person of the user's scope, or None. The form
    opens filled in with the person's full ID number: a read of that person, logged like every
    person record form."""
    pk = request.GET.get("person", "")
    if request.method != "GET" or not pk.isdigit():
        return None
    person = person_or_404(request, int(pk))
    log_section_read(request, url_name, person, AccessLog.Action.EDIT)
    return person


@require_http_methods(["GET", "POST"])
@person_data_required
def consultation_create(request):
    form = ConsultationForm(
        form_data(request),
        user=request.user,
        person=_person_from_query(request, "legal_aid:consultation_create"),
    )
    saved = saved_redirect(
        request,
        form,
        lambda: services.consultation_create(acting_user=request.user, **form.service_values()),
        message=lambda saved: f"已登记法律咨询（编号 {saved.number}，{saved.consulted_on:%Y-%m-%d}）。",
        to="legal_aid:index",
    )
    return saved or _form_page(request, form, title="登记法律咨询", back_url=reverse("legal_aid:index"))


@require_http_methods(["GET", "POST"])
@person_data_required
def consultation_update(request, pk: int):
    consultation = get_object_or_404(selectors.consultations(user=request.user), pk=pk)
    form = ConsultationForm(form_data(request), instance=consultation, user=request.user)
    saved = saved_redirect(
        request,
        form,
        lambda: services.consultation_update(
            acting_user=request.user, consultation=consultation, **form.service_values()
        ),
        message=lambda saved: f"已保存法律咨询（编号 {saved.number}）。",
        to="legal_aid:index",
    )
    return saved or _form_page(
        request,
        form,
        title=f"修改法律咨询：{consultation.number}",
        back_url=reverse("legal_aid:index"),
        record=consultation,
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def case_create(request):
    form = AidCaseForm(
        form_data(request), user=request.user, person=_person_from_query(request, "legal_aid:case_create")
    )
    saved = saved_redirect(
        request,
        form,
        lambda: services.aid_case_create(acting_user=request.user, **form.service_values()),
        message=lambda saved: f"已登记{saved.person.name}的法律救助案件（{saved.get_kind_display()}）。",
        to="legal_aid:case_list",
    )
    return saved or _form_page(
        request, form, title="登记法律救助案件", back_url=reverse("legal_aid:case_list")
    )


def _case_saved_message(case) -> str:
    state = "已结案" if case.closed_on else "已保存"
    return f"{case.person.name}的法律救助案件{state}。"


@require_http_methods(["GET", "POST"])
@person_data_required
def case_update(request, pk: int):
    case = get_object_or_404(selectors.aid_cases(user=request.user), pk=pk)
    form = AidCaseForm(form_data(request), instance=case, user=request.user)
    saved = saved_redirect(
        request,
        form,
        lambda: services.aid_case_update(acting_user=request.user, case=case, **form.service_values()),
        message=_case_saved_message,
        to="legal_aid:case_list",
    )
    return saved or _form_page(
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
