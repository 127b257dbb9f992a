"""The survey year a page shows (?year=), shared by the workbench, data quality and employment pages."""

from __future__ import annotations

from core.periods import today

# The first year of the annual survey (the survey table refuses earlier years).
FIRST_SURVEY_YEAR = 2015


def chosen_year(request) -> int:
    """The survey year of ?year= (this year by default, never later, never before the first survey)."""
    this_year = today().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if FIRST_SURVEY_YEAR <= year <= this_year else this_year
