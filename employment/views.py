"""Employment pages: the landing page, three lists, and the person section with its forms.

The person section is an htmx fragment inside the person's detail page; its add / edit / end forms
answer fragments to htmx (the section re-rendered after a save) and full pages otherwise.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from employment import selectors, services
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.forms import EmploymentRecordForm, GraduateRecordForm, TrainingRecordForm, end_form_class
from employment.interfaces import (
    edit_records_required,
    is_htmx,
    paginate,
    reverse_or_none,
    run_service,
    vary_on_htmx,
)
from employment.models import Employment, Graduate, Training
from registry.access import person_data_required
from registry.models import Person

SECTION_ID = "employment-section"


# Lists ----------------------------------------------------------------------------------------


@require_GET
@person_data_required
def index(request):
    return render(
        request,
        "employment/index.html",
        {"overview": selectors.overview(request.user), "active_tab": "index"},
    )


def _list(request, *, filter_class, queryset, template, tab, resource):
    filterset = filter_class(request.GET, queryset=queryset, request=request)
    page, querystring = paginate(request, filterset.qs)
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page_obj": page,
            "querystring": querystring,
            "active_tab": tab,
            "export_url": _export_url(resource, querystring),
        },
    )


def _export_url(resource: str, querystring: str) -> str | None:
    base = reverse_or_none("imports:export")
    if base is None:
        return None
    return f"{base}?resource={resource}" + (f"&{querystring}" if querystring else "")


@require_GET
@person_data_required
def training_list(request):
    return _list(
        request,
        filter_class=TrainingFilter,
        queryset=selectors.training_list(request.user),
        template="employment/training_list.html",
        tab="trainings",
        resource="training",
    )


@require_GET
@person_data_required
def employment_list(request):
    return _list(
        request,
        filter_class=EmploymentFilter,
        queryset=selectors.employment_list(request.user),
        template="employment/employment_list.html",
        tab="employments",
        resource="employment",
    )


@require_GET
@person_data_required
def graduate_list(request):
    return _list(
        request,
        filter_class=GraduateFilter,
        queryset=selectors.graduate_list(request.user),
        template="employment/graduate_list.html",
        tab="graduates",
        resource="graduates",
    )


# The person section ---------------------------------------------------------------------------


def _person(request, person_pk: int) -> Person:
    return get_object_or_404(Person.objects.for_user(request.user).select_related("street"), pk=person_pk)


def _record(request, model, pk: int):
    """A record of the user's streets (another street's answers 404)."""
    return get_object_or_404(
        model.objects.for_user(request.user).select_related("person", "person__street"), pk=pk
    )


def _section(request, person: Person):
    context = {
        "person": person,
        "records": selectors.person_records(person),
        "section_id": SECTION_ID,
        "person_url": reverse_or_none("registry:person_detail", person.pk),
    }
    template = (
        "employment/_person_section.html" if is_htmx(request) else "employment/person_section_page.html"
    )
    return vary_on_htmx(render(request, template, context))


@require_GET
@person_data_required
def person_section(request, person_pk: int):
    return _section(request, _person(request, person_pk))


def _form_view(request, *, person: Person, form, save, title: str, message: str):
    """GET shows the form; a valid POST calls the service and shows the section (htmx) or redirects."""
    if request.method == "POST" and form.is_valid() and run_service(form, save) is not None:
        if is_htmx(request):
            return _section(request, person)
        messages.success(request, message)
        return redirect(
            reverse_or_none("registry:person_detail", person.pk)
            or reverse("employment:person_section", args=[person.pk])
        )
    context = {
        "person": person,
        "form": form,
        "title": title,
        "action_url": request.get_full_path(),
        "section_id": SECTION_ID,
        "cancel_url": reverse("employment:person_section", args=[person.pk]),
        "back_url": reverse_or_none("registry:person_detail", person.pk)
        or reverse("employment:person_section", args=[person.pk]),
    }
    template = "employment/_record_form.html" if is_htmx(request) else "employment/record_form_page.html"
    return vary_on_htmx(render(request, template, context))


def _data(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@edit_records_required
def training_create(request, person_pk: int):
    person = _person(request, person_pk)
    form = TrainingRecordForm(_data(request), instance=Training(person=person))
    return _form_view(
        request,
        person=person,
        form=form,
        title="新增职业技能培训",
        message="已保存培训记录。",
        save=lambda: services.training_create(acting_user=request.user, person=person, **form.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def training_update(request, pk: int):
    training = _record(request, Training, pk)
    form = TrainingRecordForm(_data(request), instance=training)
    return _form_view(
        request,
        person=training.person,
        form=form,
        title="修改职业技能培训",
        message="已保存培训记录。",
        save=lambda: services.training_update(
            acting_user=request.user, training=training, **form.cleaned_data
        ),
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def employment_create(request, person_pk: int):
    person = _person(request, person_pk)
    form = EmploymentRecordForm(_data(request), instance=Employment(person=person))
    return _form_view(
        request,
        person=person,
        form=form,
        title="新增就业登记",
        message="已保存就业登记。",
        save=lambda: services.employment_create(acting_user=request.user, person=person, **form.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def employment_update(request, pk: int):
    employment = _record(request, Employment, pk)
    form = EmploymentRecordForm(_data(request), instance=employment)
    return _form_view(
        request,
        person=employment.person,
        form=form,
        title="修改就业登记",
        message="已保存就业登记。",
        save=lambda: services.employment_update(
            acting_user=request.user, employment=employment, **form.cleaned_data
        ),
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def employment_end(request, pk: int):
    employment = _record(request, Employment, pk)
    form = end_form_class(Employment)(_data(request), instance=employment)
    return _form_view(
        request,
        person=employment.person,
        form=form,
        title=f"结束就业：{employment}",
        message="已登记就业结束。",
        save=lambda: services.employment_end(
            acting_user=request.user, employment=employment, end_date=form.cleaned_data["end_date"]
        ),
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def graduate_create(request, person_pk: int):
    person = _person(request, person_pk)
    form = GraduateRecordForm(_data(request), instance=Graduate(person=person))
    return _form_view(
        request,
        person=person,
        form=form,
        title="新增高校毕业生记录",
        message="已保存毕业生记录。",
        save=lambda: services.graduate_create(acting_user=request.user, person=person, **form.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def graduate_update(request, pk: int):
    graduate = _record(request, Graduate, pk)
    form = GraduateRecordForm(_data(request), instance=graduate)
    return _form_view(
        request,
        person=graduate.person,
        form=form,
        title="修改高校毕业生记录",
        message="已保存毕业生记录。",
        save=lambda: services.graduate_update(
            acting_user=request.user, graduate=graduate, **form.cleaned_data
        ),
    )
