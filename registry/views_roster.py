"""专职委员花名册: the communities with their 专职委员 and certificate holders, and the roster check."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from registry import selectors
from registry.access import staff_required
from registry.models import CommunityWorker
from registry.periods import today


@require_GET
@staff_required
def community_roster(request):
    """District staff: every community, its 专职委员 in post today and its holders; flagged ones first
    when `?flagged=1` narrows the list to them."""
    on = today()
    flagged_only = request.GET.get("flagged") == "1"
    roster = selectors.community_roster(user=request.user, on=on)
    flagged_count = roster.exclude(roster_flag=selectors.RosterFlag.OK).count()
    if flagged_only:
        roster = roster.exclude(roster_flag=selectors.RosterFlag.OK)
    roster = roster.prefetch_related(
        Prefetch(
            "workers",
            queryset=CommunityWorker.objects.active_on(on).order_by("since", "id"),
            to_attr="active_roster",
        )
    )
    communities = list(roster)
    labels = dict(selectors.RosterFlag.choices)
    for community in communities:
        community.roster_flag_label = labels[community.roster_flag]
    return render(
        request,
        "registry/community_roster.html",
        {
            "communities": communities,
            "on": on,
            "flagged_only": flagged_only,
            "flagged_count": flagged_count,
            "threshold": selectors.ROSTER_LARGE_COMMUNITY_HOLDERS,
            "min_workers": selectors.ROSTER_LARGE_COMMUNITY_MIN_WORKERS,
        },
    )
