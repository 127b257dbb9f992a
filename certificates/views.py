"""Pages of 办证管理. Every application is read through `for_user(request.user)`: another street's
answers 404 to a clerk; the domain is closed to community workers (403, core.roles). Officials
see the statistics page only (counts and durations, no names). Writes go through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from certificates import selectors, services
from certificates.forms import STEP_FORMS, ApplicationForm, DecisionForm
from certificates.models import Application, ApplicationKind, ApplicationState, StepKind
from core.access import person_data_required, staff_required
from core.filter_fields import int_or_none
from core.models import Street
from core.periods import today
from core.roles import sees_all_streets
from core.views import saved_redirect
from registry import running
from registry.audit import log_access
from registry.models import AccessLog
from registry.sections import list_page, log_section_read, paginate, person_or_404


def _application_or_404(request, pk: int) -> Application:
    return get_object_or_404(selectors.applications(user=request.user), pk=pk)


@require_GET
@person_data_required
def application_list(request):
    state = request.GET.get("state", "")
    street_id = request.GET.get("street", "")
    queryset = selectors.application_list(
        user=request.user,
        state=state if state in ApplicationState.values else "",
        street_id=int_or_none(street_id),
    )
    return list_page(
        request,
        "certificates/application_list.html",
        queryset,
        export="certificate_applications",
        access_log="certificate_application",
        states=ApplicationState.choices,
        state=state,
        streets=Street.objects.for_user(request.user),
        street_id=street_id,
        show_street=sees_all_streets(request.user),
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def application_create(request):
    form = ApplicationForm(request.POST or None, user=request.user)
    saved = saved_redirect(
        request,
        form,
        lambda: services.application_receive(acting_user=request.user, **form.cleaned_data),
        message=lambda saved: f"已受理{saved.get_kind_display()}申请",
        to=lambda saved: reverse("certificates:application_detail", args=[saved.pk]),
    )
    return saved or render(request, "certificates/application_form.html", {"form": form})


@require_GET
@person_data_required
def application_detail(request, pk: int):
    application = _application_or_404(request, pk)
    log_access(
        request=request,
        action=AccessLog.Action.VIEW,
        object_type="certificate_application",
        # the application itself (its person once on the register): a 新办 has no person yet, and
        # the log must still say whose application was read
        obj=application,
        detail=str(application),
    )
    steps = selectors.steps_of(application)
    next_steps = services.expected_next_steps(application, steps)
    next_step = StepKind(next_steps[0]) if next_steps else None
    return render(
        request,
        "certificates/application_detail.html",
        {
            "application": application,
            "steps": steps,
            "next_step": next_step,
            "next_step_refusal": _step_refusal(request.user, application, next_step),
            "earlier": selectors.earlier_applications(application, user=request.user),
            "person": application.person,
            "deadline": selectors.deadline_of(application),
        },
    )


# The service that records each step after the application is received.
STEP_SERVICES = {
    StepKind.ASSESSMENT: services.application_assess,
    StepKind.STREET_REVIEW: services.application_street_review,
    StepKind.APPEAL: services.application_appeal,
    StepKind.DISTRICT_REVIEW: services.application_decide,
}


def _running_for(application: Application, on: dt.date):
    if application.kind != ApplicationKind.CANCEL or application.person is None:
        return []
    return running.running_records(application.person, on)


def _step_refusal(user, application: Application, kind: StepKind | None) -> str | None:
    """Why the user may not record the step that comes next (the district's decision: staff only, and
    not the one who took the application in); None when he may."""
    if kind == StepKind.DISTRICT_REVIEW:
        return services.decision_refusal(user, application)
    return None


@require_http_methods(["GET", "POST"])
@person_data_required
def application_step(request, pk: int):
    """The form of the step that comes next (there is only ever one)."""
    application = _application_or_404(request, pk)
    next_steps = services.expected_next_steps(application)
    if not next_steps:
        messages.info(request, "该申请已办结")
        return redirect("certificates:application_detail", pk=application.pk)
    kind = StepKind(next_steps[0])
    if (refusal := _step_refusal(request.user, application, kind)) is not None:
        messages.info(request, refusal)
        return redirect("certificates:application_detail", pk=application.pk)
    form_class = STEP_FORMS.get(kind)
    if form_class is None:
        raise Http404
    extra = {"running": _running_for(application, today())} if form_class is DecisionForm else {}
    form = form_class(request.POST or None, **extra)
    saved = saved_redirect(
        request,
        form,
        lambda: STEP_SERVICES[kind](acting_user=request.user, application=application, **form.cleaned_data),
        message=f"已记录{kind.label}",
        to=reverse("certificates:application_detail", args=[application.pk]),
    )
    context = {"application": application, "form": form, "step": kind}
    return saved or render(request, "certificates/step_form.html", context)


def _queue(request, applications, **extra):
    page_obj, querystring = paginate(request, applications, access_log="certificate_application")
    context = {"page_obj": page_obj, "querystring": querystring, **extra}
    return render(request, "certificates/queue.html", context)


@require_GET
@staff_required
def review_queue(request):
    return _queue(request, selectors.review_queue(user=request.user), title="区残联审核队列")


@require_GET
@staff_required
def overdue_list(request):
    return _queue(request, selectors.overdue(user=request.user), title="超期未决定的申请", overdue=True)


@require_GET
def statistics(request):
    """Counts and durations only: officials, clerks and staff (no names, no ID numbers)."""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today().year
    return render(
        request,
        "certificates/statistics.html",
        {
            "year": year,
            "rows": selectors.monthly_counts(year=year),
            "durations": selectors.decision_durations(year=year),
        },
    )


@require_GET
@person_data_required
def person_section(request, person_pk: int):
    person = person_or_404(request, person_pk)
    log_section_read(request, "certificates:person_section", person)
    return render(
        request,
        "certificates/_person_section.html",
        {"person": person, "history": selectors.certificate_history(person)},
    )
