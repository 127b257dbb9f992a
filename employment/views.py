"""Employment pages: the landing page, three lists, and the person section with its forms.

The person section (registry.sections.InlineFormSection) is an htmx fragment inside the person's detail
page; its add / edit / end forms open inside it, and are pages of their own without htmx.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import person_data_required
from core.forms import end_form_class
from core.periods import today
from core.views import export_url
from employment import selectors, services
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.forms import EmploymentRecordForm, GraduateRecordForm, TrainingRecordForm
from employment.models import Employment, Graduate, Training
from registry.sections import InlineFormSection, paginate, person_or_404
from registry.views_quality import FIRST_SURVEY_YEAR, chosen_year

SECTION = InlineFormSection(
    url_name="employment:person_section",
    fragment="employment/_person_section.html",
    page="employment/person_section_page.html",
    records=lambda person: {"records": selectors.person_records(person)},
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


training_create = SECTION.create_view(
    TrainingRecordForm,
    save=lambda user, person, data: services.training_create(acting_user=user, person=person, **data),
    title="新增职业技能培训",
    message="已保存培训记录。",
)
training_update = SECTION.update_view(
    Training,
    TrainingRecordForm,
    save=lambda user, training, data: services.training_update(acting_user=user, training=training, **data),
    title="修改职业技能培训",
    message="已保存培训记录。",
)
employment_create = SECTION.create_view(
    EmploymentRecordForm,
    save=lambda user, person, data: services.employment_create(acting_user=user, person=person, **data),
    title="新增就业登记",
    message="已保存就业登记。",
)
employment_update = SECTION.update_view(
    Employment,
    EmploymentRecordForm,
    save=lambda user, employment, data: services.employment_update(
        acting_user=user, employment=employment, **data
    ),
    title="修改就业登记",
    message="已保存就业登记。",
)
employment_end = SECTION.update_view(
    Employment,
    end_form_class(Employment),
    save=lambda user, employment, data: services.employment_end(
        acting_user=user, employment=employment, end_date=data["end_date"]
    ),
    title=lambda employment: f"结束就业：{employment}",
    message="已登记就业结束。",
)
graduate_create = SECTION.create_view(
    GraduateRecordForm,
    save=lambda user, person, data: services.graduate_create(acting_user=user, person=person, **data),
    title="新增高校毕业生记录",
    message="已保存毕业生记录。",
)
graduate_update = SECTION.update_view(
    Graduate,
    GraduateRecordForm,
    save=lambda user, graduate, data: services.graduate_update(acting_user=user, graduate=graduate, **data),
    title="修改高校毕业生记录",
    message="已保存毕业生记录。",
)
