"""Pages of organisations and volunteer teams: lists with filters, detail pages with activities and
yearly reviews, their forms, and the per-street figures.

Scoping: every read starts from `for_user` (a clerk sees his street, staff all; another street's
record answers 404). The records carry no person: nothing is access-logged, and community workers
do not use this app (core.roles.COMMUNITY_WORKER_FORBIDDEN_DOMAINS). Officials read the figures.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required
from core.periods import today
from core.roles import sees_person_data
from core.views import export_url, form_data, saved_redirect
from organisations import selectors, services
from organisations.filters import OrganisationFilter, VolunteerTeamFilter
from organisations.forms import (
    ActivityForm,
    OrganisationForm,
    ReviewForm,
    ReviewUpdateForm,
    VolunteerTeamForm,
)
from organisations.models import Activity, Organisation, OrganisationReview, VolunteerTeam
from registry.sections import paginate

FORM_TEMPLATE = "organisations/form.html"


def _record_form(request, form, save, *, message, title: str, back_url: str, to=None):
    """A record's form: a valid POST saves it through `save()` and goes to `to` (`back_url` unless
    given) with `message`; anything else shows the form (again)."""
    saved = saved_redirect(request, form, save, message=message, to=to or back_url)
    return saved or render(request, FORM_TEMPLATE, {"form": form, "title": title, "back_url": back_url})


def _owner_url(owner) -> str:
    """An organisation's or a team's page."""
    name = "organisation_detail" if isinstance(owner, Organisation) else "team_detail"
    return reverse(f"organisations:{name}", args=[owner.pk])


def _year(request) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else today().year


# Organisations ---------------------------------------------------------------------------------


def _list_page(request, template: str, queryset, *, filterset_class, annotate, export: str, **extra):
    """A list page whose rows carry this year's figures: the filtered list is counted and paged by
    id, then only the page's rows are read with their annotations (3 queries whatever the page)."""
    year = today().year
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    page, querystring = paginate(request, filterset.qs)
    ids = list(page.object_list.values_list("pk", flat=True))
    rows = annotate(queryset.model.objects.filter(pk__in=ids).select_related("street"), year).in_bulk()
    page.object_list = [rows[pk] for pk in ids]
    context = {
        "filter": filterset,
        "page_obj": page,
        "querystring": querystring,
        "export_url": export_url(export, querystring),
        "year": year,
        **extra,
    }
    return render(request, template, context)


@require_GET
@person_data_required
def index(request):
    return _list_page(
        request,
        "organisations/organisation_list.html",
        selectors.organisation_list(request.user),
        filterset_class=OrganisationFilter,
        annotate=selectors.with_year_organisations,
        export="organisations",
        active_tab="organisations",
    )


def _organisation(request, pk: int) -> Organisation:
    return get_object_or_404(selectors.organisations(request.user), pk=pk)


def _owner_detail(request, owner, template: str, **extra):
    """An organisation's or a team's page: its activities, one page of them, and whether it was
    active this year."""
    page, querystring = paginate(request, selectors.owner_activities(owner))
    year = today().year
    context = {
        "page_obj": page,
        "querystring": querystring,
        "year": year,
        "active": selectors.is_active_in(owner, year),
        **extra,
    }
    return render(request, template, context)


@require_GET
@person_data_required
def organisation_detail(request, pk: int):
    organisation = _organisation(request, pk)
    return _owner_detail(
        request,
        organisation,
        "organisations/organisation_detail.html",
        organisation=organisation,
        reviews=selectors.organisation_reviews(organisation),
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def organisation_create(request):
    form = OrganisationForm(form_data(request), user=request.user)
    return _record_form(
        request,
        form,
        lambda: services.organisation_create(acting_user=request.user, **form.cleaned_data),
        message=lambda organisation: f"已登记助残社会组织“{organisation.name}”。",
        title="登记助残社会组织",
        back_url=reverse("organisations:index"),
        to=_owner_url,
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def organisation_update(request, pk: int):
    organisation = _organisation(request, pk)
    form = OrganisationForm(form_data(request), instance=organisation, user=request.user)
    return _record_form(
        request,
        form,
        lambda: services.organisation_update(
            acting_user=request.user, organisation=organisation, **form.cleaned_data
        ),
        message="已保存助残社会组织信息。",
        title=f"修改助残社会组织：{organisation.name}",
        back_url=_owner_url(organisation),
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def review_create(request, pk: int):
    organisation = _organisation(request, pk)
    form = ReviewForm(form_data(request), instance=OrganisationReview(organisation=organisation))
    if not form.is_bound:
        form.initial.setdefault("year", today().year - 1)
    return _record_form(
        request,
        form,
        lambda: services.review_create(
            acting_user=request.user, organisation=organisation, **form.cleaned_data
        ),
        message=lambda review: f"已登记{review.year}年度评估结果。",
        title=f"登记年度评估 · {organisation.name}",
        back_url=_owner_url(organisation),
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def review_update(request, pk: int):
    review = get_object_or_404(selectors.reviews(request.user), pk=pk)
    form = ReviewUpdateForm(form_data(request), instance=review)
    return _record_form(
        request,
        form,
        lambda: services.review_update(acting_user=request.user, review=review, **form.cleaned_data),
        message="已保存年度评估结果。",
        title=f"修改{review.year}年度评估 · {review.organisation.name}",
        back_url=reverse("organisations:organisation_detail", args=[review.organisation_id]),
    )


# Volunteer teams -------------------------------------------------------------------------------


@require_GET
@person_data_required
def team_list(request):
    return _list_page(
        request,
        "organisations/team_list.html",
        selectors.team_list(request.user),
        filterset_class=VolunteerTeamFilter,
        annotate=selectors.with_year_teams,
        export="volunteer_teams",
        active_tab="teams",
    )


def _team(request, pk: int) -> VolunteerTeam:
    return get_object_or_404(selectors.teams(request.user), pk=pk)


@require_GET
@person_data_required
def team_detail(request, pk: int):
    team = _team(request, pk)
    return _owner_detail(request, team, "organisations/team_detail.html", team=team)


@require_http_methods(["GET", "POST"])
@person_data_required
def team_create(request):
    form = VolunteerTeamForm(form_data(request), user=request.user)
    return _record_form(
        request,
        form,
        lambda: services.team_create(acting_user=request.user, **form.cleaned_data),
        message=lambda team: f"已登记志愿者队伍“{team.name}”。",
        title="登记助残志愿者队伍",
        back_url=reverse("organisations:team_list"),
        to=_owner_url,
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def team_update(request, pk: int):
    team = _team(request, pk)
    form = VolunteerTeamForm(form_data(request), instance=team, user=request.user)
    return _record_form(
        request,
        form,
        lambda: services.team_update(acting_user=request.user, team=team, **form.cleaned_data),
        message="已保存志愿者队伍信息。",
        title=f"修改志愿者队伍：{team.name}",
        back_url=_owner_url(team),
    )


# Activities ------------------------------------------------------------------------------------


def _activity_create(request, owner, **owner_kwargs):
    form = ActivityForm(form_data(request), instance=Activity(**owner_kwargs, street_id=owner.street_id))
    return _record_form(
        request,
        form,
        lambda: services.activity_create(acting_user=request.user, **owner_kwargs, **form.cleaned_data),
        message=lambda activity: f"已登记活动“{activity.title}”。",
        title=f"登记活动 · {owner.name}",
        back_url=_owner_url(owner),
    )


@require_http_methods(["GET", "POST"])
@person_data_required
def organisation_activity_create(request, pk: int):
    organisation = _organisation(request, pk)
    return _activity_create(request, organisation, organisation=organisation)


@require_http_methods(["GET", "POST"])
@person_data_required
def team_activity_create(request, pk: int):
    team = _team(request, pk)
    return _activity_create(request, team, team=team)


@require_http_methods(["GET", "POST"])
@person_data_required
def activity_update(request, pk: int):
    activity = get_object_or_404(selectors.activities(request.user), pk=pk)
    form = ActivityForm(form_data(request), instance=activity)
    return _record_form(
        request,
        form,
        lambda: services.activity_update(acting_user=request.user, activity=activity, **form.cleaned_data),
        message="已保存活动。",
        title=f"修改活动 · {activity.owner.name}",
        back_url=_owner_url(activity.owner),
    )


# Figures ---------------------------------------------------------------------------------------


@require_GET
def figures(request):
    """Counts per street (no names): officials, clerks and staff alike; `?year=`."""
    year = _year(request)
    return render(
        request,
        "organisations/figures.html",
        {
            "figures": selectors.figures(year),
            "year": year,
            "years": range(today().year, 2019, -1),
            # clerks and staff keep the tabs back to the lists; officials see figures only
            "show_tabs": sees_person_data(request.user),
        },
    )
