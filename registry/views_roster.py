"""专职委员花名册: the communities with their 专职委员 and certificate holders, and the roster check."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import staff_required
from core.periods import today
from registry import selectors


@require_GET
@staff_required
def community_roster(request):
    """District staff: every community, its 专职委员 in post today and its holders; `?flagged=1` narrows
    the list to the communities the check flags."""
    on = today()
    rows = selectors.community_roster(user=request.user, on=on, with_workers=True)
    flagged = [row for row in rows if row.flag != selectors.RosterFlag.OK]
    flagged_only = request.GET.get("flagged") == "1"
    return render(
        request,
        "registry/community_roster.html",
        {
            "rows": flagged if flagged_only else rows,
            "on": on,
            "flagged_only": flagged_only,
            "flagged_count": len(flagged),
            "threshold": selectors.ROSTER_LARGE_COMMUNITY_HOLDERS,
            "min_workers": selectors.ROSTER_LARGE_COMMUNITY_MIN_WORKERS,
        },
    )
