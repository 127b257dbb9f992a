"""Payment rolls in Chromium: a clerk builds and submits his street's draft, staff approve it, and an
official sees the totals chart drawn without console errors (CSP: no inline script)."""

import datetime as dt

from core.roles import Role
from payments.models import Roll, RollState
from registry.tests.factories import PersonFactory, make_user
from subsidies.tests.factories import GrantFactory


def _errors_of(page):
    errors = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_clerk_builds_and_submits_staff_approves_official_sees_the_chart(
    page, live_server, clerk_user, staff_user, official_user, browser_login
):
    # given a grant of the clerk's street running since January
    GrantFactory(person=PersonFactory(name="赵六"), start_month=dt.date(2025, 1, 1))
    month = dt.date.today().replace(day=1)
    errors = _errors_of(page)

    # when the clerk builds this month's draft and submits it
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/payments/")
    page.click("text=生成草稿")
    page.wait_for_load_state("networkidle")
    assert "赵六" in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=提交审核")
    page.wait_for_load_state("networkidle")
    assert Roll.objects.get(month=month).state == RollState.SUBMITTED

    # and another staff member approves it
    page.context.clear_cookies()
    make_user("approver", Role.DISTRICT_STAFF)
    browser_login(page, "approver")
    page.goto(f"{live_server.url}/payments/rolls/{Roll.objects.get(month=month).pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=审核通过")
    page.wait_for_load_state("networkidle")
    assert Roll.objects.get(month=month).state == RollState.APPROVED

    # then an official sees the totals chart drawn, and no names
    page.context.clear_cookies()
    browser_login(page, "official")
    page.goto(f"{live_server.url}/payments/totals/?year={month.year}")
    page.wait_for_selector("#payments-chart canvas")
    assert "赵六" not in page.content()
    assert errors == []
