"""工作台: the landing page of clerks, community workers and staff (issue 14).

The counts come from the items the apps registered (core/workbench.py); each is one scoped
count and links to the list behind it.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import workbench
from core.access import person_data_required
from core.periods import today
from registry.survey_years import FIRST_SURVEY_YEAR, chosen_year


@require_GET
@person_data_required
def workbench_page(request):
    year = chosen_year(request)
    return render(
        request,
        "registry/workbench.html",
        {
            "entries": workbench.entries_for(request.user, year),
            "year": year,
            "years": range(today().year, FIRST_SURVEY_YEAR - 1, -1),
            "this_year": today().year,
        },
    )
