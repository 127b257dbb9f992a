"""Pages of the annual campaign: open, progress, the lists behind the numbers, the home visit, close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import CheckboxInput
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from campaigns import selectors, services
from campaigns.forms import VISIT_STEPS, CampaignOpenForm, UnreachableForm, VisitForm
from campaigns.models import Campaign, CampaignEntry, EntryState
from core.access import person_data_required, staff_required
from core.filter_fields import int_or_none
from core.periods import today
from core.roles import may_manage_indicators, sees_person_data
from core.views import saved_redirect
from registry.audit import log_access
from registry.models import AccessLog, Survey

PAGE_SIZE = 50
SURVEY_ANSWER_FIELDS = [name for _, names in VISIT_STEPS for name in names]


@require_http_methods(["GET", "POST"])
def index(request):
    """The campaigns by year; district staff open a new one here."""
    may_open = may_manage_indicators(request.user)
    form = CampaignOpenForm(request.POST or None) if may_open else None
    if request.method == "POST":
        if not may_open:
            raise Http404
        saved = saved_redirect(
            request,
            form,
            lambda: services.campaign_open(acting_user=request.user, **form.cleaned_data),
            message=lambda campaign: f"{campaign.year}年度调查已开启",
            to=lambda campaign: reverse("campaigns:progress", kwargs={"year": campaign.year}),
        )
        if saved is not None:
            return saved
    campaigns = list(Campaign.objects.all())
    return render(request, "campaigns/index.html", {"campaigns": campaigns, "form": form})


def _campaign(year: int) -> Campaign:
    return get_object_or_404(Campaign, year=year)


@require_http_methods(["GET"])
def progress(request, year: int):
    campaign = _campaign(year)
    result = selectors.campaign_progress(campaign=campaign, user=request.user)
    communities = result.communities
    if request.GET.get("order") == "slowest":
        communities = sorted(communities, key=lambda r: (r.done_share, -r.counts["remaining"], r.label))
    return render(
        request,
        "campaigns/progress.html",
        {
            "campaign": campaign,
            "progress": result,
            "communities": communities,
            "slowest": request.GET.get("order") == "slowest",
            "show_lists": sees_person_data(request.user),
            "may_manage": may_manage_indicators(request.user),
            "is_overdue": today() > campaign.due_on,
            "list_url": f"{reverse('campaigns:entry_list')}?year={year}",
            "gap_lists": selectors.GAP_LISTS,
        },
    )


@require_http_methods(["GET"])
@person_data_required
def entry_list(request):
    year = int_or_none(request.GET.get("year"))
    campaign = _campaign(year) if year is not None else Campaign.objects.order_by("-year").first()
    if campaign is None:
        return render(request, "campaigns/entry_list.html", {"campaign": None})
    state = request.GET.get("state", "")
    entries = selectors.entry_list(
        user=request.user,
        campaign=campaign,
        state=state,
        street_id=int_or_none(request.GET.get("street")),
        community_id=int_or_none(request.GET.get("community")),
        overdue=request.GET.get("overdue") == "1",
        left=request.GET.get("left") == "1",
    )
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    log_access(request=request, action=AccessLog.Action.LIST, object_type="campaign_entry", rows=rows)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "campaigns/entry_list.html",
        {
            "campaign": campaign,
            "page_obj": page_obj,
            "entries": rows,
            "querystring": params.urlencode(),
            "state_label": dict(EntryState.choices).get(state, ""),
            "overdue": request.GET.get("overdue") == "1",
            "left": request.GET.get("left") == "1",
        },
    )


def _entry(request, pk: int) -> CampaignEntry:
    return get_object_or_404(selectors.entries(user=request.user), pk=pk)


def _answer_text(survey: Survey, name: str) -> str:
    value = getattr(survey, name)
    if isinstance(value, bool):
        return "是" if value else "否"
    display = getattr(survey, f"get_{name}_display", None)
    text = display() if display is not None else value
    return "" if text in (None, "") else str(text)


def _last_year(entry: CampaignEntry) -> tuple[Survey | None, dict[str, str]]:
    last = Survey.objects.filter(person=entry.person, year=entry.campaign.year - 1).first()
    if last is None:
        return None, {}
    answers = {name: _answer_text(last, name) for name in SURVEY_ANSWER_FIELDS if hasattr(last, name)}
    answers.pop("year", None)
    return last, answers


def _initial(entry: CampaignEntry, form_class=VisitForm) -> dict:
    """The form starts from the server-side draft, else from the year's survey if it exists."""
    if entry.draft:
        fields = form_class(campaign_year=entry.campaign.year).fields
        initial = {}
        for name, field in fields.items():
            if isinstance(field.widget, CheckboxInput):
                initial[name] = name in entry.draft
            elif name in entry.draft:
                initial[name] = entry.draft[name]
        return initial
    return {}


@require_http_methods(["GET", "POST"])
@person_data_required
def visit(request, pk: int):
    """The home visit on a phone: one group of questions per screen, last year's answers beside each
    question, a draft kept on the server (暂存 button, and autosave by static/campaigns/visit.js)."""
    entry = _entry(request, pk)
    campaign = entry.campaign
    survey = entry.survey or Survey.objects.filter(person=entry.person, year=campaign.year).first()
    if request.method == "POST" and request.POST.get("action") == "draft":
        data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "action")}
        try:
            services.campaign_entry_save_draft(acting_user=request.user, entry=entry, data=data)
        except ValidationError as exc:
            if request.headers.get("X-Requested-With"):
                return HttpResponse(
                    "；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8"
                )
            messages.error(request, "；".join(exc.messages))
            return redirect("campaigns:visit", pk=entry.pk)
        if request.headers.get("X-Requested-With"):
            return HttpResponse(status=204)
        messages.success(request, "已暂存，下次打开时继续填写")
        return redirect("campaigns:visit", pk=entry.pk)
    form = VisitForm(
        request.POST or None,
        instance=survey or Survey(person=entry.person, year=campaign.year),
        campaign_year=campaign.year,
        initial=_initial(entry),
    )
    saved = saved_redirect(
        request,
        form,
        lambda: services.campaign_visit_save(acting_user=request.user, entry=entry, **form.cleaned_data),
        message=f"{entry.person.name}的{campaign.year}年度调查已保存",
        to=_list_after_visit(entry),
    )
    if saved is not None:
        return saved
    log_access(request=request, action=AccessLog.Action.EDIT, object_type="person", obj=entry.person)
    last, last_answers = _last_year(entry)
    return render(
        request,
        "campaigns/visit.html",
        {
            "entry": entry,
            "campaign": campaign,
            "person": entry.person,
            "form": form,
            "steps": form.steps(last_answers),
            "last_survey": last,
        },
    )


def _list_after_visit(entry: CampaignEntry) -> str:
    return f"{reverse('campaigns:entry_list')}?year={entry.campaign.year}&state={EntryState.PENDING}"


@require_http_methods(["GET", "POST"])
@person_data_required
def unreachable(request, pk: int):
    entry = _entry(request, pk)
    form = UnreachableForm(request.POST or None)
    saved = saved_redirect(
        request,
        form,
        lambda: services.campaign_entry_mark_unreachable(
            acting_user=request.user, entry=entry, **form.cleaned_data
        ),
        message=f"已记为无法调查：{entry.person.name}",
        to=_list_after_visit(entry),
    )
    if saved is not None:
        return saved
    # the person's page of the visit, like the survey form beside it: a read of person data
    log_access(request=request, action=AccessLog.Action.EDIT, object_type="person", obj=entry.person)
    context = {"entry": entry, "form": form, "person": entry.person}
    return render(request, "campaigns/unreachable.html", context)


@staff_required
def close(request, year: int):
    campaign = _campaign(year)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.campaign_close(acting_user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year}年度调查已结束，调查覆盖情况已固定")
    return redirect("campaigns:progress", year=year)


@staff_required
def sync(request, year: int):
    campaign = _campaign(year)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    counts = services.campaign_sync(campaign=campaign)
    messages.success(
        request,
        f"名单已更新：新增{counts['joined']}人，离开名册{counts['left']}人，已有调查表{counts['surveyed']}人",
    )
    return redirect("campaigns:progress", year=year)


@require_http_methods(["GET"])
@person_data_required
def gap_list(request, kind: str):
    year = int_or_none(request.GET.get("year")) or today().year
    if kind not in selectors.GAP_LISTS:
        raise Http404
    if not 2015 <= year <= today().year:
        raise Http404(f"没有{year}年度的调查：调查年度应在2015年到{today().year}年之间")
    persons = selectors.gap_persons(user=request.user, kind=kind, year=year).select_related(
        "street", "community"
    )
    page_obj = Paginator(persons.order_by("street__order", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page_obj.object_list)
    log_access(request=request, action=AccessLog.Action.GAP_LIST, object_type="person", rows=rows)
    return render(
        request,
        "campaigns/gap_list.html",
        {
            "year": year,
            "title": selectors.GAP_LISTS[kind],
            "page_obj": page_obj,
            "persons": rows,
            "querystring": f"year={year}",
        },
    )
