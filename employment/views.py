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
from employment import selectors, services
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.forms import EmploymentRecordForm, GraduateRecordForm, TrainingRecordForm
from employment.models import Employment, Graduate, Training
from registry.sections import InlineFormSection, list_view
from registry.survey_years import FIRST_SURVEY_YEAR, chosen_year

SECTION = InlineFormSection(
    url_name="employment:person_section",
    fragment="employment/_person_section.html",
    page="employment/person_section_page.html",
    records=lambda person: {"records": selectors.person_records(person)},
)
SAVED_TRAINING, SAVED_JOB, SAVED_GRADUATE = "已保存培训记录。", "已保存就业登记。", "已保存毕业生记录。"


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


training_list = list_view(
    "employment/training_list.html",
    selectors.training_list,
    filterset_class=TrainingFilter,
    export="training",
    access_log="training",
    active_tab="trainings",
)
employment_list = list_view(
    "employment/employment_list.html",
    selectors.employment_list,
    filterset_class=EmploymentFilter,
    export="employment",
    access_log="employment",
    active_tab="employments",
)
graduate_list = list_view(
    "employment/graduate_list.html",
    selectors.graduate_list,
    filterset_class=GraduateFilter,
    export="graduates",
    access_log="graduate",
    active_tab="graduates",
)


# The person section ---------------------------------------------------------------------------


person_section = SECTION.section_view()


training_create = SECTION.create_view(
    TrainingRecordForm, services.training_create, "新增职业技能培训", SAVED_TRAINING
)
training_update = SECTION.update_view(
    Training, TrainingRecordForm, services.training_update, "修改职业技能培训", SAVED_TRAINING
)
employment_create = SECTION.create_view(
    EmploymentRecordForm, services.employment_create, "新增就业登记", SAVED_JOB
)
employment_update = SECTION.update_view(
    Employment, EmploymentRecordForm, services.employment_update, "修改就业登记", SAVED_JOB
)
employment_end = SECTION.update_view(
    Employment,
    end_form_class(Employment),
    services.employment_end,
    lambda e: f"结束就业：{e}",
    "已登记就业结束。",
)
graduate_create = SECTION.create_view(
    GraduateRecordForm, services.graduate_create, "新增高校毕业生记录", SAVED_GRADUATE
)
graduate_update = SECTION.update_view(
    Graduate, GraduateRecordForm, services.graduate_update, "修改高校毕业生记录", SAVED_GRADUATE
)
