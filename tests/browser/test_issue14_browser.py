"""Issue 14 in the browser: an import fixed in one pass (every error at once, the marked copy, fixed
and re-uploaded), the new-community suggestion with its tick, and the phone layout at 390 px."""

import io

import openpyxl

from core.models import Community
from imports.models import ImportJob
from imports.tests.factories import PERSON_HEADERS, person_row, persons_workbook
from registry.models import Person
from registry.tests.factories import CommunityFactory, PersonFactory, street

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def console_errors(page) -> list:
    errors = []

    def collect(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", collect)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def upload(page, live_server, data: bytes, name: str) -> None:
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_resource", "persons")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_load_state("networkidle")


def letter(column: str) -> str:
    return openpyxl.utils.get_column_letter(PERSON_HEADERS.index(column) + 1)


def test_clerk_fixes_an_import_in_one_pass_with_the_marked_copy(page, live_server, clerk_user, browser_login):
    errors = console_errors(page)
    browser_login(page, "clerk")

    # given a workbook whose second data row has three faults
    rows = [
        person_row(姓名="王芳"),
        person_row(姓名="李强", 残疾类别="八级", 发证日期="2015-13-01", 联系电话="12345"),
    ]
    upload(page, live_server, persons_workbook(*rows), "三处错误.xlsx")

    # then the first preview lists all three, each with the value found
    table = page.inner_text("[data-testid=error-table]")
    for column, value in (("残疾类别", "八级"), ("发证日期", "2015-13-01"), ("联系电话", "12345")):
        assert column in table and f"填写的是：{value}" in table, column
    assert page.locator("[data-testid=error-table] tbody tr").count() == 3

    # when the clerk downloads the marked copy, fixes the red cells and uploads it again
    with page.expect_download() as download:
        page.click("[data-testid=marked-copy]")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    assert "八级" in sheet[f"{letter('残疾类别')}3"].comment.text
    sheet[f"{letter('残疾类别')}3"] = "肢体"
    sheet[f"{letter('发证日期')}3"] = "2015-12-01"
    sheet[f"{letter('联系电话')}3"] = "13912345678"
    fixed = io.BytesIO()
    workbook.save(fixed)
    upload(page, live_server, fixed.getvalue(), "三处错误_已改.xlsx")

    # then it previews clean and imports
    assert "新增 2 条" in page.inner_text("[data-testid=job-summary]")
    assert "将新增 2 条" in page.inner_text("[data-testid=preview-plan]")
    page.click("[data-testid=confirm-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=count-created]") == "2"
    assert sorted(Person.objects.values_list("name", flat=True)) == ["李强", "王芳"]
    assert errors == []


def test_staff_sees_the_nearest_community_and_must_tick_to_create_it(
    page, live_server, staff_user, browser_login
):
    errors = console_errors(page)
    CommunityFactory(name="华侨路社区", street=street("华侨路街道"))
    browser_login(page, "staff")

    upload(
        page,
        live_server,
        persons_workbook(person_row(所属街道="华侨路街道", 所属社区="华桥路社区")),
        "新社区.xlsx",
    )

    assert "将新建：华侨路街道 华桥路社区 — 是否为：华侨路社区？" in page.inner_text(
        "[data-testid=new-communities]"
    )
    # the confirm button does nothing until the tick is given
    preview_url = page.url
    page.click("[data-testid=confirm-form] button[type=submit]")
    assert page.url == preview_url
    assert ImportJob.objects.get().status == ImportJob.Status.READY
    page.check("#confirm-communities")
    page.click("[data-testid=confirm-form] button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert page.inner_text("[data-testid=count-created]") == "1"
    assert Community.objects.filter(name="华桥路社区").exists()
    assert errors == []


def test_person_list_and_person_page_are_cards_on_a_phone(page, live_server, staff_user, browser_login):
    errors = console_errors(page)
    person = PersonFactory(name="张三", phone="13912345678", address="南京市鼓楼区中山北路100号3幢201室")
    PersonFactory(name="李四")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "staff")

    for url in (f"{live_server.url}/registry/persons/", f"{live_server.url}/registry/persons/{person.pk}/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        # nothing is wider than the phone: no table squeezed or scrolled sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.goto(f"{live_server.url}/registry/persons/?sort=name")
    first_row = page.locator("[data-testid=person-table] tbody tr").first
    assert first_row.evaluate("row => getComputedStyle(row).display") == "block"
    assert (
        page.locator("[data-testid=person-table] thead").evaluate("h => getComputedStyle(h).display")
        == "none"
    )
    label = page.locator("[data-testid=person-table] tbody td[data-label=公民身份号码]").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert "公民身份号码" in label
    # each card reads on its own: the name first, then labelled fields
    assert page.locator("[data-testid=person-table] tbody tr").first.inner_text().startswith("李四")
    assert errors == []
