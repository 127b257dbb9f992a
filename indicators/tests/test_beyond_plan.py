"""issue 14 §3: years past the plan (2021–2025) are computed and shown as 规划期外, never with an
invented target; staff enter targets for new years."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators import selectors
from indicators.models import Indicator, Target
from indicators.services import indicator_run_execute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_noon")]


def test_recompute_covers_the_plan_target_years_and_the_current_year_not_the_future():
    # a target entered ahead for 2027 is computed once 2027 has come
    Target.objects.create(indicator=Indicator.objects.get(code="K03"), year=2027, value=Decimal("90"))

    assert selectors.default_years() == [2020, 2021, 2022, 2023, 2024, 2025, 2026]


def test_dashboard_shows_the_current_year_as_beyond_the_plan_without_900(client_for, staff_user):
    indicator_run_execute(years=[2025, 2026])

    html = client_for(staff_user).get(reverse("indicators:dashboard"), {"year": 2026}).content.decode()

    assert "规划期外" in html
    assert "900人" not in html
    assert 'data-testid="status-K02">规划期外<' in html


def test_targets_page_offers_the_current_and_next_year_and_saves_a_new_years_target(client_for, staff_user):
    client = client_for(staff_user)
    form = client.get(reverse("indicators:targets")).context["form"]
    assert {"t_K02_2026", "t_K02_2027"} <= set(form.fields)

    data = {name: ("" if field.initial is None else field.initial) for name, field in form.fields.items()}
    data["t_K02_2026"] = "800"
    client.post(reverse("indicators:targets"), data)

    assert Target.objects.get(indicator__code="K02", year=2026).value == 800


def test_compute_indicators_without_year_still_gives_2020_to_2025():
    stdout = io.StringIO()

    call_command("compute_indicators", "--json", stdout=stdout)

    values = json.loads(stdout.getvalue())["values"]
    assert {v["year"] for v in values} == set(range(2020, 2026))
