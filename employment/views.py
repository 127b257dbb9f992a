"""Employment pages: the landing page, three lists, and the person section with its forms.

The person section is an htmx fragment inside the person's detail page; its add / edit / end forms
answer fragments to htmx (the section re-rendered after a save) and full pages otherwise.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from employment import selectors, services
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.forms import EmploymentRecordForm, GraduateRecordForm, TrainingRecordForm
from employment.models import Employment, Graduate, Training
from registry.access import person_data_required
from registry.interfaces import (
    edit_records_required,
    end_form_class,
    export_url,
    form_data,
    fragment_or_page,
    optional_url,
    paginate,
    person_or_404,
    person_record_form,
    record_or_404,
)
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
            "export_url": export_url(resource, querystring),
        },
    )


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


def _section(request, person: Person):
    context = {
        "person": person,
        "records": selectors.person_records(person),
        "section_id": SECTION_ID,
        "person_url": optional_url("registry:person_detail", person.pk),
    }
    return fragment_or_page(
        request, "employment/_person_section.html", "employment/person_section_page.html", context
    )


@require_GET
@person_data_required
def person_section(request, person_pk: int):
    return _section(request, person_or_404(request, person_pk))


def _form_view(request, *, person: Person, form, save, title: str, message: str):
    """GET shows the form; a valid POST calls the service and shows the section (htmx) or redirects."""
    return person_record_form(
        request,
        person=person,
        form=form,
        save=save,
        title=title,
        message=message,
        section=_section,
        section_url_name="employment:person_section",
        section_id=SECTION_ID,
    )


@require_http_methods(["GET", "POST"])
@edit_records_required
def training_create(request, person_pk: int):
    person = person_or_404(request, person_pk)
    form = TrainingRecordForm(form_data(request), instance=Training(person=person))
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
    training = record_or_404(request, Training, pk)
    form = TrainingRecordForm(form_data(request), instance=training)
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
    person = person_or_404(request, person_pk)
    form = EmploymentRecordForm(form_data(request), instance=Employment(person=person))
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
    employment = record_or_404(request, Employment, pk)
    form = EmploymentRecordForm(form_data(request), instance=employment)
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
    employment = record_or_404(request, Employment, pk)
    form = end_form_class(Employment)(form_data(request), instance=employment)
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
    person = person_or_404(request, person_pk)
    form = GraduateRecordForm(form_data(request), instance=Graduate(person=person))
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
    graduate = record_or_404(request, Graduate, pk)
    form = GraduateRecordForm(form_data(request), instance=graduate)
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
