"""Whole working days in Chromium against the production processes (gunicorn, Celery worker and beat):

- a street clerk imports workbooks through the web page (a small one inline, a large one through the
  worker with its progress bar), district staff press 立即重新计算 and the worker recomputes, the official's
  dashboard shows the clerk's street at 0 %; the clerk finds a person and records a rehab service, staff
  recompute again, and the official sees the street's K08 move to 50 %;
- an idle session expires: the next click lands on the login page;
- repeated bad passwords lock the login, with the Chinese lockout page.

The stack runs with a short SESSION_IDLE_SECONDS and a low IMPORT_ASYNC_THRESHOLD_ROWS (tests/e2e/conftest.py);
the tests read the values the stack really uses from its settings.
"""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from core.idnumbers import make_id_number
from imports.tests.factories import PERSON_HEADERS, person_row, workbook_bytes
from registry.resources import SurveyResource

PASSWORD = "E2e-journey-Passw0rd-2026"
STREET = "宁海路街道"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How long the worker may take for an import or a recomputation on a busy 2-core machine.
WORKER_TIMEOUT_MS = 180_000
USERS = {
    "e2e_clerk": ("street_clerk", "宁海路"),
    "e2e_staff": ("district_staff", None),
    "e2e_official": ("official", None),
    "e2e_idle_official": ("official", None),
    "e2e_locked_clerk": ("street_clerk", "宁海路"),
}


@pytest.fixture(scope="module")
def journey_users(stack_manage):
    """The accounts, created the way operators create them (access.md)."""
    for username, (role, street) in USERS.items():
        args = ["create_portal_user", username, "--role", role, "--password", PASSWORD]
        if street:
            args += ["--street", street]
        stack_manage(*args)
    return USERS


@pytest.fixture(scope="module")
def stack_settings(stack_manage):
    """The settings the stack's processes really run with."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'idle_seconds': s.SESSION_COOKIE_AGE, 'failure_limit': s.AXES_FAILURE_LIMIT, "
        "'async_threshold': s.IMPORT_ASYNC_THRESHOLD_ROWS, 'time_zone': s.TIME_ZONE}))"
    )
    return json.loads(stack_manage("shell", "-c", code).stdout.strip().splitlines()[-1])


def local_today(stack_settings) -> dt.date:
    return dt.datetime.now(ZoneInfo(stack_settings["time_zone"])).date()


def id_number(index: int) -> str:
    """Distinct valid ID numbers: one birth date per index (1950 onwards), region 320106 (Gulou)."""
    return make_id_number("320106", dt.date(1950, 1, 1) + dt.timedelta(days=index), 21)


def persons_workbook(rows: list[dict]) -> bytes:
    return workbook_bytes(rows, PERSON_HEADERS)


def surveys_workbook(rows: list[dict]) -> bytes:
    return workbook_bytes(rows, [field.column_name for field in SurveyResource.portal_fields()])


# ---- steps a user takes ----------------------------------------------------------------------------


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("[data-testid=current-user]")).to_contain_text(username)


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.click("text=退出登录")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def upload(page: Page, base_url: str, resource: str, data: bytes, name: str) -> None:
    page.goto(f"{base_url}/imports/")
    page.select_option("#id_resource", resource)
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")


def confirm_import(page: Page) -> None:
    expect(page.locator("[data-testid=confirm-form]")).to_be_visible(timeout=WORKER_TIMEOUT_MS)
    with page.expect_navigation():
        page.click("[data-testid=confirm-form] button[type=submit]")


def import_small(page: Page, base_url: str, resource: str, data: bytes, name: str, created: int) -> None:
    """Upload, read the preview, confirm: a file under the threshold is checked and imported inline."""
    upload(page, base_url, resource, data, name)
    expect(page.locator("[data-testid=job-summary]")).to_contain_text(f"新增 {created} 条")
    confirm_import(page)
    expect(page.locator("[data-testid=count-created]")).to_have_text(f"{created:,}")


def recompute_as_staff(page: Page, base_url: str) -> None:
    """立即重新计算 on the run log; the page polls until the worker's run has succeeded."""
    log_in(page, base_url, "e2e_staff")
    page.click("nav >> text=计算批次")
    rows = page.locator("[data-testid=runs] tbody tr")
    runs_before = page.locator("[data-testid=runs] tbody tr td:first-child", has_text="#").count()
    with page.expect_navigation():
        page.click("[data-testid=recompute]")
    expect(page.locator(".alert")).to_contain_text("已提交重新计算")
    # the new run is the first row; the page's own polling shows it running, then finished
    expect(rows.filter(has_text="#")).to_have_count(runs_before + 1, timeout=WORKER_TIMEOUT_MS)
    status = rows.first.locator("td").nth(3)
    expect(status).to_have_text(re.compile("成功|失败"), timeout=WORKER_TIMEOUT_MS)
    assert status.inner_text().strip() == "成功", rows.first.inner_text()
    page.reload()  # the polling refreshes the table only; a fresh page offers the button again
    expect(page.locator("[data-testid=recompute]")).to_be_enabled()
    log_out(page)


def official_k08_of_street(page: Page, base_url: str, year: int) -> tuple[str, str]:
    """The official chooses the year and the street on the dashboard: K08's value and its fraction."""
    log_in(page, base_url, "e2e_official")
    page.click("nav >> text=指标看板")
    with page.expect_navigation():
        page.select_option("#id_year", str(year))  # the form submits itself on change
    with page.expect_navigation():
        page.select_option("#id_street", label=STREET)
    expect(page.locator("main h2").first).to_contain_text(f"{year}年 · {STREET}")
    card = page.locator(".kpi-card[data-code=K08]")
    value = card.locator("[data-testid=value-K08]").inner_text()
    fraction = card.locator("dt:has-text('分子 / 分母') + dd").inner_text()
    log_out(page)
    return value, fraction


# ---- the journeys ----------------------------------------------------------------------------------


def test_clerk_imports_and_records_a_service_and_the_official_sees_k08_move_after_recompute(
    page: Page, running_stack, journey_users, stack_settings
):
    base = running_stack
    year = local_today(stack_settings).year
    threshold = stack_settings["async_threshold"]
    # given three persons of the clerk's street, a workbook above the async threshold, and this year's
    # surveys in which two of the three need rehabilitation
    small = [
        person_row(姓名="康复甲", 公民身份号码=id_number(0)),
        person_row(姓名="康复乙", 公民身份号码=id_number(1)),
        person_row(姓名="张无需", 公民身份号码=id_number(2)),
    ]
    large_count = threshold + 1000
    large = [
        person_row(姓名=f"批量{index:05d}", 公民身份号码=id_number(index), 残疾类别="视力")
        for index in range(100, 100 + large_count)
    ]
    surveys = [
        {"公民身份号码": id_number(0), "调查年度": year, "康复需求": "是"},
        {"公民身份号码": id_number(1), "调查年度": year, "康复需求": "是"},
        {"公民身份号码": id_number(2), "调查年度": year, "康复需求": "否"},
    ]
    large_data, survey_data = persons_workbook(large), surveys_workbook(surveys)

    # when the clerk imports the small workbook (preview, then confirm) and the surveys
    log_in(page, base, "e2e_clerk")
    import_small(page, base, "persons", persons_workbook(small), "三人.xlsx", created=3)
    import_small(page, base, "surveys", survey_data, "调查.xlsx", created=3)

    # and the large workbook, which the worker checks and imports while the page shows a progress bar
    upload(page, base, "persons", large_data, "批量.xlsx")
    expect(page.locator("[data-testid=job-summary]")).to_contain_text(
        f"新增 {large_count:,} 条", timeout=WORKER_TIMEOUT_MS
    )
    expect(page.locator("[data-testid=confirm-form]")).to_contain_text("文件较大，将在后台导入")
    confirm_import(page)
    expect(page).to_have_url(re.compile(r"/imports/jobs/\d+/result/$"))
    progress = page.locator("[data-testid=job-progress]")
    expect(progress).to_contain_text("正在导入")
    expect(progress.locator("progress")).to_be_attached()
    # then htmx polls until the worker is done and the result page shows the counts
    expect(page.locator("[data-testid=count-created]")).to_have_text(
        f"{large_count:,}", timeout=WORKER_TIMEOUT_MS
    )
    expect(page.locator("[data-testid=job-status]")).to_have_text("已导入")
    log_out(page)

    # when staff recompute, the official sees the clerk's street with two needs and none served
    recompute_as_staff(page, base)
    assert official_k08_of_street(page, base, year) == ("0.0%", "0 / 2")

    # when the clerk searches the register by name fragment and by full ID number
    log_in(page, base, "e2e_clerk")
    page.click("nav >> text=持证残疾人")
    page.fill("#id_q", "康复")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    names = page.locator("[data-testid=person-table] tbody tr td:first-child")
    expect(names).to_have_count(2)
    assert sorted(names.all_inner_texts()) == sorted(["康复甲", "康复乙"])
    page.fill("#id_q", id_number(0))
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    expect(names).to_have_text(["康复甲"])
    masked = page.locator("[data-testid=person-table] tbody tr .id-number").inner_text()
    assert masked == id_number(0)[:6] + "********" + id_number(0)[-4:]

    # and records a basic rehab service on the person's page (the inline form)
    with page.expect_navigation():
        page.click("[data-testid=person-table] >> text=康复甲")
    expect(page.locator("[data-testid=id-number]")).to_have_text(id_number(0))
    expect(page.locator("[data-testid=survey-table] tbody tr").first).to_contain_text("康复")
    section = page.locator("[data-testid=rehab-section]")
    section.locator("[data-testid=service-add]").click()
    form = page.locator("[data-testid=service-form]")
    form.locator("select[name=kind]").select_option(label="基本康复服务")
    form.locator("input[name=service_date]").fill(local_today(stack_settings).isoformat())
    form.locator("input[name=provider]").fill("鼓楼区康复中心")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=rehab-section] [data-testid=service-row]")).to_have_count(1)
    expect(page.locator("[data-testid=rehab-section] [data-testid=service-row]")).to_contain_text(
        "基本康复服务"
    )
    log_out(page)

    # and staff recompute again
    recompute_as_staff(page, base)

    # then the official's dashboard shows one of the street's two needs served
    assert official_k08_of_street(page, base, year) == ("50.0%", "1 / 2")


def test_idle_session_expires_and_the_next_click_lands_on_the_login_page(
    page: Page, running_stack, journey_users, stack_settings
):
    base = running_stack
    # given an official looking at the dashboard
    log_in(page, base, "e2e_idle_official")
    page.click("nav >> text=指标看板")
    expect(page).to_have_url(re.compile(r"/indicators/"))

    # when the page stays untouched for longer than the idle limit (waiting is the point here)
    page.wait_for_timeout((stack_settings["idle_seconds"] + 2) * 1000)
    with page.expect_navigation():
        page.click("nav >> text=指标看板")

    # then the click lands on the login page, which returns to the page after logging in again
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/indicators/"))
    expect(page.locator("[data-testid=current-user]")).to_have_count(0)
    page.fill("#id_username", "e2e_idle_official")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/indicators/$"))
    expect(page.locator("[data-testid=current-user]")).to_contain_text("e2e_idle_official")


def test_repeated_bad_passwords_lock_the_account_with_the_chinese_lockout_page(
    page: Page, running_stack, journey_users, stack_settings
):
    base = running_stack
    limit = stack_settings["failure_limit"]

    def attempt(password: str):
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "e2e_locked_clerk")
        page.fill("#id_password", password)
        with page.expect_response(lambda r: r.request.method == "POST") as response:
            page.click("button[type=submit]")
        page.wait_for_load_state()
        return response.value

    # given failures below the limit: the login page says the password is wrong
    for number in range(1, limit):
        assert attempt(f"wrong-password-{number}").status == 200
        expect(page.locator(".alert-danger")).to_contain_text("请输入一个正确的")

    # when one more bad password reaches the limit
    locked = attempt("wrong-password-last")

    # then the Chinese lockout page answers, and even the right password stays locked out
    assert locked.status == 429
    expect(page.locator("[data-testid=locked-out]")).to_contain_text("登录失败次数过多，账号已被暂时锁定")
    assert attempt(PASSWORD).status == 429
    expect(page.locator("[data-testid=locked-out]")).to_be_visible()
    expect(page.locator("[data-testid=current-user]")).to_have_count(0)
    # while a colleague logs in from the same browser: the lock is per account and address
    log_in(page, base, "e2e_idle_official")
