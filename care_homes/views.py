"""Care-home pages: homes (list, detail, create/edit/close), their auxiliary employment projects,
the placement list, and the person section with its placement forms.

Scoping: a home by its own street, a placement by its person's street, a project by its home's
street. A home's page lists only the placements the viewer may see, with a count of the others.
The project and placement forms answer fragments to htmx and full pages otherwise.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from care_homes import selectors, services
from care_homes.filters import CareHomeFilter, PlacementFilter
from care_homes.forms import (
    AuxProjectEndForm,
    AuxProjectForm,
    CareHomeCloseForm,
    CareHomeForm,
    PlacementEndForm,
    PlacementRecordForm,
)
from care_homes.models import AuxProject, CareHome, Placement
from core.access import person_data_required
from core.forms import run_service
from core.views import export_url, form_data, is_htmx, record_form, saved_redirect, vary_on_htmx
from registry.sections import InlineFormSection, list_view, paginate

PROJECTS_SECTION_ID = "home-projects"
PERSON_SECTION = InlineFormSection(
    url_name="care_homes:person_section",
    fragment="care_homes/_person_section.html",
    page="care_homes/person_section_page.html",
    records=lambda person: {"placements": selectors.person_placements(person)},
)


# Homes ----------------------------------------------------------------------------------------


home_list = list_view(
    "care_homes/home_list.html",
    selectors.home_list,
    filterset_class=CareHomeFilter,
    export="care_homes",
    active_tab="homes",
    context=lambda request: {"projects_export_url": export_url("aux_projects", "")},
)


def _home(request, pk: int) -> CareHome:
    return get_object_or_404(selectors.homes(user=request.user), pk=pk)


@require_GET
@person_data_required
def home_detail(request, pk: int):
    home = _home(request, pk)
    show_all = request.GET.get("placements") == "all"
    placements = selectors.home_placements(home, request.user)
    if not show_all:
        placements = placements.current()
    page, querystring = paginate(request, placements, access_log="placement")
    return render(
        request,
        "care_homes/home_detail.html",
        {
            "home": home,
            "page_obj": page,
            "querystring": querystring,
            "show_all": show_all,
            "hidden_placements": selectors.hidden_current_placements(home, request.user),
            **_projects_context(home),
        },
    )


def _projects_context(home: CareHome) -> dict:
    return {"home": home, "projects": list(selectors.home_projects(home)), "section_id": PROJECTS_SECTION_ID}


def _home_url(home) -> str:
    return reverse("care_homes:home_detail", args=[home.pk])


@require_http_methods(["GET", "POST"])
@person_data_required
def home_create(request):
    form = CareHomeForm(form_data(request), user=request.user)
    saved = saved_redirect(
        request,
        form,
        lambda: services.care_home_create(acting_user=request.user, **form.cleaned_data),
        message=lambda home: f"已新增托养机构“{home.name}”。",
        to=_home_url,
    )
    context = {"form": form, "title": "新增托养机构", "back_url": reverse("care_homes:home_list")}
    return saved or render(request, "care_homes/home_form.html", context)


@require_http_methods(["GET", "POST"])
@person_data_required
def home_update(request, pk: int):
    home = _home(request, pk)
    form = CareHomeForm(form_data(request), instance=home, user=request.user)
    saved = saved_redirect(
        request,
        form,
        lambda: services.care_home_update(acting_user=request.user, home=home, **form.cleaned_data),
        message="已保存托养机构信息。",
        to=_home_url(home),
    )
    context = {"form": form, "home": home, "title": f"修改托养机构：{home.name}", "back_url": _home_url(home)}
    return saved or render(request, "care_homes/home_form.html", context)


@require_http_methods(["GET", "POST"])
@person_data_required
def home_close(request, pk: int):
    home = _home(request, pk)
    form = CareHomeCloseForm(form_data(request), instance=home)

    def closed_message(result) -> str:
        _, placements, projects = result
        return f"“{home.name}”已登记停用（{home.closed_on:%Y-%m-%d}），同时结束托养服务 {placements} 条、辅助性就业项目 {projects} 个。"

    saved = saved_redirect(
        request,
        form,
        lambda: services.care_home_close(
            acting_user=request.user, home=home, closed_on=form.cleaned_data["closed_on"]
        ),
        message=closed_message,
        to=_home_url(home),
    )
    context = {
        "form": form,
        "home": home,
        "title": f"停用托养机构：{home.name}",
        "back_url": _home_url(home),
        "submit_label": "确认停用",
    }
    return saved or render(request, "care_homes/home_form.html", context)


# Projects on the home's page -----------------------------------------------------------------


def _project(request, pk: int) -> AuxProject:
    return get_object_or_404(selectors.project_list(request.user), pk=pk)


def _projects_section(request, home: CareHome):
    if is_htmx(request):
        return vary_on_htmx(render(request, "care_homes/_projects_section.html", _projects_context(home)))
    return vary_on_htmx(redirect("care_homes:home_detail", pk=home.pk))


@require_GET
@person_data_required
def home_projects(request, pk: int):
    """The projects section of a home's page (htmx re-renders it; a plain visit goes to the page)."""
    return _projects_section(request, _home(request, pk))


def _project_form_view(request, *, home: CareHome, form, save, title: str, message: str):
    if request.method == "POST" and form.is_valid() and run_service(form, save) is not None:
        if not is_htmx(request):
            messages.success(request, message)
        return _projects_section(request, home)
    return record_form(
        request,
        form=form,
        title=f"{title} · {home.name}",
        section_id=PROJECTS_SECTION_ID,
        cancel_url=reverse("care_homes:home_projects", args=[home.pk]),
        back_url=_home_url(home),
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def project_create(request, home_pk: int):
    home = _home(request, home_pk)
    form = AuxProjectForm(form_data(request), instance=AuxProject(home=home))
    return _project_form_view(
        request,
        home=home,
        form=form,
        title="新增辅助性就业项目",
        message="已新增辅助性就业项目。",
        save=lambda: services.aux_project_create(acting_user=request.user, home=home, **form.cleaned_data),
    )


def _project_change_view(form_class, service, title, message: str):
    """A project's edit or end form: `service(acting_user=, project=, **cleaned_data)`; `title` is a
    text or a function of the project."""

    @require_http_methods(["GET", "POST"])
    @person_data_required
    def view(request, pk: int):
        project = _project(request, pk)
        form = form_class(form_data(request), instance=project)
        return _project_form_view(
            request,
            home=project.home,
            form=form,
            title=title(project) if callable(title) else title,
            message=message,
            save=lambda: service(acting_user=request.user, project=project, **form.cleaned_data),
        )

    return view


project_update = _project_change_view(
    AuxProjectForm, services.aux_project_update, "修改辅助性就业项目", "已保存辅助性就业项目。"
)
project_end = _project_change_view(
    AuxProjectEndForm,
    services.aux_project_end,
    lambda project: f"结束项目：{project.name}",
    "已登记项目结束。",
)


# Placements ------------------------------------------------------------------------------------


placement_list = list_view(
    "care_homes/placement_list.html",
    selectors.placement_list,
    filterset_class=PlacementFilter,
    export="care_placements",
    access_log="placement",
    active_tab="placements",
)


person_section = PERSON_SECTION.section_view()


# A placement of the user's persons, whatever the home's street (another street's: 404).
placement_create = PERSON_SECTION.create_view(
    PlacementRecordForm, services.placement_create, "新增托养服务", "已保存托养服务。"
)
placement_update = PERSON_SECTION.update_view(
    Placement,
    PlacementRecordForm,
    services.placement_update,
    "修改托养服务",
    "已保存托养服务。",
    related=("home",),
)
placement_end = PERSON_SECTION.update_view(
    Placement,
    PlacementEndForm,
    services.placement_end,
    lambda placement: f"结束托养服务：{placement.home.name}",
    "已登记托养服务结束。",
    related=("home",),
)
