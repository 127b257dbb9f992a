"""The KPI dashboard in Chromium: charts render without errors, and a recorded service shows up
after staff press 立即重新计算."""

import datetime as dt

from django.utils import timezone

from indicators.selectors import default_years
from indicators.services import indicator_run_execute
from indicators.tests.factories import PersonFactory, RehabServiceFactory, SurveyFactory
from registry.models import Street


def _errors_of(page):
    """JavaScript errors and failed requests of the page (the browser's own favicon probe aside)."""
    errors = []

    def on_console(message):
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"{message.text} {url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_official_sees_cards_and_rendered_charts_without_console_errors(
    page, live_server, official_user, browser_login
):
    # given a snapshot with some served and some unserved needs
    for served in (True, False, False):
        person = PersonFactory()
        SurveyFactory(person=person, year=2023, needs_rehab=True)
        if served:
            RehabServiceFactory(person=person, service_date=dt.date(2023, 6, 1))
    indicator_run_execute(years=range(2020, 2026))
    errors = _errors_of(page)

    # when an official opens the dashboard
    browser_login(page, "official")
    page.goto(f"{live_server.url}/indicators/?year=2023")

    # then the twelve cards show, every trend chart and the comparison chart draw a canvas
    assert page.locator(".kpi-card").count() == 12
    assert page.inner_text("[data-testid=value-K08]") == "33.3%"
    page.wait_for_selector("[data-trend=K08] canvas")
    assert page.locator("[data-trend] canvas").count() == 12
    assert page.locator("#compare-chart canvas").count() == 1
    # the comparison table sorts on click
    page.click("[data-testid=comparison] th[data-sort=number]")
    assert page.locator("[data-testid=comparison] tbody tr").first.inner_text().startswith("宁海路街道")
    assert errors == []


def test_recorded_rehab_service_changes_k08_after_recompute(
    page, live_server, clerk_user, staff_user, browser_login
):
    year = timezone.localdate().year
    ninghai = Street.objects.get(name="宁海路街道")
    person = PersonFactory(name="康复待访", street=ninghai)
    SurveyFactory(person=person, year=year, needs_rehab=True)
    indicator_run_execute(years=default_years())
    dashboard = f"{live_server.url}/indicators/?year={year}&street={ninghai.pk}"
    errors = _errors_of(page)

    # given K08 of the street is 0 %
    browser_login(page, "staff")
    page.goto(dashboard)
    assert page.inner_text("[data-testid=value-K08]") == "0.0%"
    page.click("text=退出登录")

    # when the clerk records a rehab service for the person
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/rehab/persons/{person.pk}/services/new/")
    page.select_option("select[name=kind]", "basic")
    page.fill("input[name=service_date]", timezone.localdate().isoformat())
    page.click("[data-testid=service-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert person.rehab_services.count() == 1
    page.click("text=退出登录")

    # and staff press 立即重新计算
    browser_login(page, "staff")
    page.goto(f"{live_server.url}/indicators/runs/")
    page.click("[data-testid=recompute]")
    page.wait_for_selector("text=重新计算完成")

    # then the dashboard shows the street's K08 at 100 %
    page.goto(dashboard)
    assert page.inner_text("[data-testid=value-K08]") == "100.0%"
    assert page.inner_text("[data-testid=status-K08]") == "达标"
    assert errors == []
