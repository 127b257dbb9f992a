"""The register's pages: the person list, a person's record, and the forms a clerk fills in."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods

from core.access import person_data_required
from core.forms import add_service_errors
from core.periods import today
from core.roles import may_edit_records, may_use_domain, sees_all_streets
from core.views import act_and_tell, export_url
from registry import running, selectors, services
from registry.audit import log_access, log_person_view
from registry.filters import PersonFilter
from registry.forms import PersonForm, PersonStatusForm, SurveyForm
from registry.models import AccessLog, PersonStatus, Survey
from registry.sections import InlineFormSection, person_or_404

PAGE_SIZE = 50
DOMAIN_SECTIONS = [
    "subsidies:person_section",
    "employment:person_section",
    "rehab:person_section",
    "care_homes:person_section",
    "certificates:person_section",
    "education:person_section",
    "legal_aid:person_section",
]


# ?sort=<key> (or -<key>) of the person list: the columns a clerk clicks. Names sort by pinyin.
PERSON_SORTS = {
    "name": ["name_pinyin"],
    "id_number": ["id_number"],
    "age": ["-birth_date"],
    "category": ["category"],
    "grade": ["grade"],
    "street": ["street__order"],
    "community": ["community__name"],
    "issued_on": ["issued_on"],
    "status": ["status"],
}


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


class CountOnlyPaginator(Paginator):
    """Counts without the list's joins and ordering (a plain COUNT on the person table)."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().select_related(None).count()


@require_http_methods(["GET"])
@person_data_required
def person_list(request):
    data = request.GET.copy()
    if "status" not in data and not sees_all_streets(request.user):
        # A clerk works with the living register: 正常 persons unless he chooses otherwise
        # (全部状态 submits an empty status, which is a choice).
        data["status"] = PersonStatus.ACTIVE
    person_filter = PersonFilter(data, queryset=selectors.person_list(user=request.user), request=request)
    sort = request.GET.get("sort", "")
    queryset = person_filter.qs
    if sort.lstrip("-") in PERSON_SORTS:
        fields = PERSON_SORTS[sort.lstrip("-")]
        descending = sort.startswith("-")
        queryset = queryset.order_by(
            *[_flip(f) if descending else f for f in fields], "-id" if descending else "id"
        )
    paginator = CountOnlyPaginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    log_access(request=request, action=AccessLog.Action.LIST, object_type="person", rows=page_obj.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    querystring = params.urlencode()
    # The export gets the filters the list applied, the default status included.
    applied = data.copy()
    applied.pop("page", None)
    return render(
        request,
        "registry/person_list.html",
        {
            "filter": person_filter,
            "page_obj": page_obj,
            "persons": page_obj.object_list,
            "querystring": querystring,
            "export_url": export_url("persons", applied.urlencode()),
            "import_url": reverse("imports:index") if may_use_domain(request.user, "imports") else None,
            "show_street": sees_all_streets(request.user),
            "may_edit": may_edit_records(request.user),
            "is_filtered": any(v for k, v in params.items() if k != "sort"),
            "sort": sort,
        },
    )


@require_http_methods(["GET"])
@person_data_required
def person_detail(request, pk: int):
    person = get_object_or_404(selectors.person_get_queryset(user=request.user), pk=pk)
    log_person_view(user=request.user, person=person, request=request)
    sections = [
        reverse(name, args=[person.pk])
        for name in DOMAIN_SECTIONS
        if may_use_domain(request.user, name.split(":")[0], name)
    ]
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "surveys": list(person.surveys.order_by("-year")),
            "history": selectors.person_history(person=person),
            "status_form": PersonStatusForm(
                initial={"status": person.status, "changed_on": person.status_changed_on},
                running_records=running.running_records(person, after=today()),
            ),
            "still_running": (
                running.running_records(person, after=person.status_changed_on)
                if person.status != PersonStatus.ACTIVE
                else []
            ),
            "domain_sections": sections,
            "may_edit": may_edit_records(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记：{person.name}")
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
@person_data_required
def person_update(request, pk: int):
    person = get_object_or_404(selectors.person_get_queryset(user=request.user), pk=pk)
    # The form works on a copy: a rejected form must not change what the page shows of the person.
    form = PersonForm(request.POST or None, instance=copy.copy(person), user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if "certificate_number" in form.cleaned_data and not form.cleaned_data["certificate_number"]:
            changes["certificate_number"] = ""
        try:
            services.person_update(acting_user=request.user, person=person, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "人员信息已保存" if changes else "没有需要保存的修改")
            return redirect("registry:person_detail", pk=person.pk)
    # The form shows the full ID number: every rendering of it is a read (a failed POST too).
    log_access(request=request, action=AccessLog.Action.EDIT, object_type="person", obj=person)
    return render(request, "registry/person_form.html", {"form": form, "person": person})


@person_data_required
def person_status(request, pk: int):
    """POST only; the person is looked up first so that another street's person answers 404 to any method."""
    person = get_object_or_404(selectors.person_get_queryset(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PersonStatusForm(request.POST, running_records=running.running_records(person, after=today()))
    act_and_tell(
        request,
        form,
        lambda: services.person_change_status(acting_user=request.user, person=person, **form.cleaned_data),
        success=lambda changed: f"人员状态已改为“{changed.get_status_display()}”",
    )
    return redirect("registry:person_detail", pk=person.pk)


# The annual survey: a section of the person's page whose forms open inside it (like the domains').
SURVEY_SECTION = InlineFormSection(
    url_name="registry:survey_section",
    fragment="registry/_survey_section.html",
    page="registry/person_surveys.html",
    form_page="registry/survey_form.html",
    records=lambda person: {"surveys": list(person.surveys.order_by("-year"))},
)


@require_http_methods(["GET"])
@person_data_required
def survey_section(request, person_pk: int):
    return SURVEY_SECTION.response(request, person_or_404(request, person_pk))


def _survey_saved(survey: Survey) -> str:
    return f"{survey.year}年度调查已保存"


def _survey_update(*, acting_user, survey: Survey, year: int, **answers):
    """The form shows the year but cannot change it (a survey's year stays fixed)."""
    return services.survey_update(acting_user=acting_user, survey=survey, **answers)


survey_create = SURVEY_SECTION.create_view(SurveyForm, services.survey_create, "新增年度调查", _survey_saved)
survey_update = SURVEY_SECTION.update_view(
    Survey, SurveyForm, _survey_update, lambda survey: f"修改{survey.year}年度调查", _survey_saved
)
