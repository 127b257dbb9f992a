"""The KPI dashboard in Chromium: charts render without errors, a recorded service shows up after
staff press 立即重新计算, and the street comparison switches indicators without reloading the page."""

import datetime as dt

from django.utils import timezone

from core.models import Street
from indicators.selectors import default_years
from indicators.services import indicator_run_execute
from indicators.tests.factories import (
    IndicatorRunFactory,
    IndicatorValueFactory,
    PersonFactory,
    RehabServiceFactory,
    SurveyFactory,
)


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
    # (a year after the 2021–2025 plan has no target unless staff enter one: 规划期外)
    expected = "达标" if timezone.localdate().year <= 2025 else "规划期外"
    assert page.inner_text("[data-testid=status-K08]") == expected
    assert errors == []


def test_switching_the_compared_indicator_redraws_in_place_without_reload(
    page, live_server, official_user, browser_login
):
    # given a snapshot where K03 and K08 rank the streets differently
    run = IndicatorRunFactory(years=[2022, 2023])
    streets = list(Street.objects.order_by("order"))
    for index, street in enumerate(streets[:4]):
        for code, value in (("K03", 90.0 + 2 * index), ("K08", 98.0 - 3 * index)):
            IndicatorValueFactory(run=run, code=code, year=2023, street=street, value=value, met=False)
    for code in ("K03", "K08"):
        IndicatorValueFactory(run=run, code=code, year=2023, street=None, value=93.0, met=False)
    errors = _errors_of(page)
    browser_login(page, "official")
    page.goto(f"{live_server.url}/indicators/?year=2023&compare=K03")
    page.wait_for_selector("#compare-chart canvas")
    first_row = "[data-testid=comparison] tbody tr:first-child td:first-child"
    assert page.inner_text(first_row) == streets[3].name  # K03: highest first

    # when the official scrolls to the comparison and chooses K08
    page.evaluate("window.pageMarker = 'still here'")
    page.locator("#comparison").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 40)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    page.select_option("#id_compare", "K08")

    # then the table and chart change in place: same page (the marker survives), same scroll position
    page.wait_for_function(
        "(name) => document.querySelector('[data-testid=comparison] tbody td a').textContent === name",
        arg=streets[0].name,
    )
    assert page.evaluate("window.pageMarker") == "still here"
    assert page.evaluate("window.scrollY") == scrolled
    assert "compare=K08" in page.url
    assert page.input_value("[data-compare-value]") == "K08"  # the year selector keeps the choice
    option = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.getElementById('compare-chart')).getOption();"
        " return {title: o.title[0].text, streets: o.yAxis[0].data, target: o.series[0].markLine.data[0].xAxis,"
        " min: o.xAxis[0].min, label: o.series[0].label.show}; }"
    )
    assert option["title"].startswith("K08 ")
    assert option["streets"][:4] == [s.short_name for s in streets[:4]]  # sorted by value
    assert option["target"] == 100 and option["min"] > 0 and option["label"] is True

    # the back button returns to K03, still without a reload
    page.go_back()
    page.wait_for_function(
        "(name) => document.querySelector('[data-testid=comparison] tbody td a').textContent === name",
        arg=streets[3].name,
    )
    assert page.evaluate("window.pageMarker") == "still here"

    # and clicking a street's bar opens that street's dashboard
    point = page.evaluate(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('compare-chart'));"
        " return c.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [c.getOption().xAxis[0].min, 0]); }"
    )
    page.locator("#compare-chart").scroll_into_view_if_needed()
    box = page.locator("#compare-chart").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + point[0] + 6, box["y"] + point[1])
    assert f"street={streets[3].pk}" in page.url
    assert page.inner_text("[data-testid=scope]").startswith(f"2023年 · {streets[3].name}")
    assert errors == []
