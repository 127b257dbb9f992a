"""Pages of 信访与维权. Every case is read through `for_user(request.user)`: another street's case
answers 404 to a clerk, another community's (or a case without a person) to a community worker.
Officials see the figures page only (counts, no names). Writes go through the services; reads of
person data are access-logged like the other domains'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.forms import modelformset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cases import selectors, services
from cases.filters import CaseFilter
from cases.forms import ActionForm, CaseForm, CloseForm, SatisfactionForm
from cases.models import Case, DeadlineRule
from core.access import person_data_required, staff_required
from core.forms import StyledFormMixin
from core.periods import today
from core.roles import sees_all_streets, sees_person_data
from core.views import form_data, saved_redirect
from core.workdays import add_workdays
from registry.audit import log_access
from registry.models import AccessLog, Person
from registry.sections import list_view, paginate

ACCESS_LOG = "case"


def _case_or_404(request, pk: int) -> Case:
    return get_object_or_404(selectors.cases(user=request.user), pk=pk)


def _case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def _log_case(request, case: Case, action: str = AccessLog.Action.VIEW) -> None:
    if request.method == "GET":
        log_access(request=request, action=action, object_type=ACCESS_LOG, obj=case)


case_list = list_view(
    "cases/case_list.html",
    selectors.case_list,
    filterset_class=CaseFilter,
    export="cases",
    access_log=ACCESS_LOG,
    context=lambda request: {"show_street": sees_all_streets(request.user), "today": today()},
)


def _deadline_list(request, queryset, *, title: str, explanation: str, kind: str):
    page_obj, querystring = paginate(request, queryset, access_log=ACCESS_LOG)
    show_street = sees_all_streets(request.user)
    return render(
        request,
        "cases/deadline_list.html",
        {
            "page_obj": page_obj,
            "querystring": querystring,
            "title": title,
            "explanation": explanation,
            "kind": kind,
            "show_street": show_street,
            "by_street": selectors.counts_by_street(queryset) if show_street else None,
            "today": today(),
        },
    )


@require_GET
@person_data_required
def overdue_list(request):
    return _deadline_list(
        request,
        selectors.overdue(user=request.user),
        title="超期未办结",
        explanation="已过办理期限仍未办结的事项，超期最久的在前。",
        kind="overdue",
    )


@require_GET
@person_data_required
def due_soon_list(request):
    on = today()
    until = selectors.due_soon_until(on)
    return _deadline_list(
        request,
        selectors.due_soon(user=request.user, on=on),
        title="临期事项",
        explanation=(
            f"办理期限在今天至第{selectors.DUE_SOON_WORKING_DAYS}个工作日（{until:%Y-%m-%d}）之间、"
            "尚未办结的事项（工作日不含周末和法定节假日，调休上班日计入）。"
        ),
        kind="due_soon",
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def case_create(request):
    initial = {}
    person_pk = request.GET.get("person", "")
    if request.method == "GET" and person_pk.isdigit():
        person = Person.objects.for_user(request.user).filter(pk=int(person_pk)).first()
        if person is not None:
            initial = {"person_id_number": person.id_number, "street": person.street_id}
    form = CaseForm(form_data(request), user=request.user, initial=initial or None)
    saved = saved_redirect(
        request,
        form,
        lambda: services.case_create(acting_user=request.user, **form.service_data()),
        message=lambda saved: f"已受理 {saved.number}（办理期限 {saved.deadline:%Y-%m-%d}）",
        to=_case_url,
    )
    return saved or render(request, "cases/case_form.html", {"form": form, "title": "受理信访事项"})


@require_http_methods(["GET", "POST"])
@person_data_required
def case_update(request, pk: int):
    case = _case_or_404(request, pk)
    _log_case(request, case, AccessLog.Action.EDIT)
    form = CaseForm(form_data(request), user=request.user, instance=case)
    saved = saved_redirect(
        request,
        form,
        lambda: services.case_update(acting_user=request.user, case=case, **form.service_data()),
        message=lambda saved: f"已保存 {saved.number}",
        to=_case_url,
    )
    context = {"form": form, "case": case, "title": f"修改 {case.number}"}
    return saved or render(request, "cases/case_form.html", context)


def _detail(request, case: Case, *, close_form=None, action_form=None, satisfaction_form=None, status=200):
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "actions": selectors.actions_of(case),
            "close_form": close_form or CloseForm(),
            "action_form": action_form or ActionForm(),
            "satisfaction_form": satisfaction_form
            or SatisfactionForm(initial={"satisfaction": case.satisfaction}),
            "rule_deadline": services.deadline_for(source=case.source, received_on=case.received_on)
            if case.deadline_from_rule
            else None,
            "today": today(),
        },
        status=status,
    )


@require_GET
@person_data_required
def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    _log_case(request, case)
    return _detail(request, case)


def _case_page_form(request, pk: int, form_class, *, form_name: str, save, message):
    """A form that sits on the case's page: a GET shows the page; a valid POST calls the service,
    `save(case, cleaned_data)`, and goes back to the page with `message` (a function of the saved
    record); otherwise the page shows the form's errors (400)."""
    case = _case_or_404(request, pk)
    if request.method == "GET":
        _log_case(request, case)
        return _detail(request, case)
    form = form_class(request.POST)
    saved = saved_redirect(
        request, form, lambda: save(case, form.cleaned_data), message=message, to=_case_url(case)
    )
    return saved or _detail(request, case, **{form_name: form}, status=400)


def _closed_message(case: Case) -> str:
    timing = "按期办结" if case.closed_on_time else "超期办结"
    return f"{case.number} 已办结（{timing}）"


@require_http_methods(["GET", "POST"])
@person_data_required
def case_close(request, pk: int):
    """办结 (the form sits on the case's page; a GET shows the page)."""
    return _case_page_form(
        request,
        pk,
        CloseForm,
        form_name="close_form",
        save=lambda case, data: services.case_close(acting_user=request.user, case=case, **data),
        message=_closed_message,
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def case_action(request, pk: int):
    """A dated action with notes (the form sits on the case's page; a GET shows the page)."""
    return _case_page_form(
        request,
        pk,
        ActionForm,
        form_name="action_form",
        save=lambda case, data: services.case_action_add(acting_user=request.user, case=case, **data),
        message=lambda action: f"已记录办理情况（{action.done_on:%Y-%m-%d}）",
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def case_satisfaction(request, pk: int):
    """The satisfaction answer (回访), usually after closing."""
    return _case_page_form(
        request,
        pk,
        SatisfactionForm,
        form_name="satisfaction_form",
        save=lambda case, data: services.case_update(acting_user=request.user, case=case, **data),
        message=lambda case: f"已记录满意度：{case.get_satisfaction_display()}",
    )


def _year_month(request) -> tuple[int, int | None]:
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today().year
    month_text = request.GET.get("month", "")
    month = int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None
    return year, month


@require_GET
def figures(request):
    """Counts, rates and medians only: officials, clerks and staff (no names, no ID numbers)."""
    year, month = _year_month(request)
    return render(
        request,
        "cases/figures.html",
        {
            "year": year,
            "month": month,
            "years": list(range(today().year, 2014, -1)),
            "month_choices": range(1, 13),
            "figures": selectors.figures(year=year, month=month),
            # those who also work the cases keep the tabs back to the lists; officials see figures only
            "show_tabs": sees_person_data(request.user),
            "show_street": sees_all_streets(request.user),
        },
    )


class DeadlineRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["working_days", "note"]


# The page edits the existing rules only: no new rows, and a tampered form count is refused.
RuleFormSet = modelformset_factory(DeadlineRule, form=DeadlineRuleForm, extra=0, can_delete=False)
TAMPERED_RULES_MESSAGE = "表单数据不完整，请刷新页面后重新填写"


@require_http_methods(["GET", "POST"])
@staff_required
def deadline_rules(request):
    """办理时限 of each source: district staff change them; new cases follow the new value."""
    services.deadline_rules_ensure()
    rules = list(DeadlineRule.objects.order_by("id"))
    formset = RuleFormSet(form_data(request), queryset=DeadlineRule.objects.order_by("id"))
    if request.method == "POST" and formset.is_valid():
        edited = formset.initial_forms
        if len(edited) != len(rules) or len(formset.forms) != len(rules):
            messages.error(request, TAMPERED_RULES_MESSAGE)
            return redirect("cases:deadline_rules")
        for form in edited:
            if form.has_changed():
                services.deadline_rule_update(
                    acting_user=request.user,
                    rule=form.instance,
                    working_days=form.cleaned_data["working_days"],
                    note=form.cleaned_data["note"],
                )
        messages.success(request, "已保存办理时限，新受理的事项按新时限计算")
        return redirect("cases:deadline_rules")
    on = today()
    # from the stored rules: an invalid form's value may be anything
    examples = {rule.pk: add_workdays(on, rule.working_days) for rule in rules}
    return render(
        request, "cases/deadline_rules.html", {"formset": formset, "examples": examples, "today": on}
    )
