"""Employment pages: the landing page, three lists, and the person section with its forms.

The person section is an htmx fragment inside the person's detail page; its add / edit / end forms
answer fragments to htmx (the section re-rendered after a save) and full pages otherwise.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from core.access import edit_records_required, person_data_required
from core.forms import end_form_class
from core.periods import today
from core.views import export_url, form_data
from employment import selectors, services
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.forms import EmploymentRecordForm, GraduateRecordForm, TrainingRecordForm
from employment.models import Employment, Graduate, Training
from registry.sections import PersonSection, paginate, person_or_404, record_or_404
from registry.views_quality import FIRST_SURVEY_YEAR, chosen_year

SECTION = PersonSection(
    url_name="employment:person_section",
    section_id="employment-section",
    fragment="employment/_person_section.html",
    page="employment/person_section_page.html",
    records=("records", selectors.person_records),
)


# Lists ----------------------------------------------------------------------------------------


@require_GET
@person_data_required
def index(request):
    year = chosen_year(request)
    return render(
        request,
        "employment/index.html",
        {
            "overview": selectors.overview(request.user, year),
            "active_tab": "index",
            "year": year,
            "years": range(today().year, FIRST_SURVEY_YEAR - 1, -1),
        },
    )


def _list(request, *, filter_class, queryset, template, tab, resource):
    filterset = filter_class(request.GET, queryset=queryset, request=request)
    page, querystring = paginate(request, filterset.qs, access_log=filterset.qs.model._meta.model_name)
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


@require_GET
@person_data_required
def person_section(request, person_pk: int):
    return SECTION.response(request, person_or_404(request, person_pk))


@require_http_methods(["GET", "POST"])
@edit_records_required
def training_create(request, person_pk: int):
    person = person_or_404(request, person_pk)
    form = TrainingRecordForm(form_data(request), instance=Training(person=person))
    return SECTION.form(
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
    return SECTION.form(
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
    return SECTION.form(
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
    return SECTION.form(
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
    return SECTION.form(
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
    return SECTION.form(
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
    return SECTION.form(
        request,
        person=graduate.person,
        form=form,
        title="修改高校毕业生记录",
        message="已保存毕业生记录。",
        save=lambda: services.graduate_update(
            acting_user=request.user, graduate=graduate, **form.cleaned_data
        ),
    )
