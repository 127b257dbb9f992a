"""A clerk imports a persons workbook in the browser: a bad file is refused row by row, a good one
is previewed, confirmed and imported."""

from imports.tests.factories import person_row, persons_workbook
from registry.models import Person
from registry.tests.factories import CommunityFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(page, live_server, data: bytes, name: str) -> None:
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_resource", "persons")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_clerk_sees_row_errors_then_imports_a_good_file(page, live_server, clerk_user, browser_login):
    browser_login(page, "clerk")

    # given a workbook whose third row has a bad grade
    bad = persons_workbook(person_row(姓名="王芳"), person_row(姓名="李强", 残疾等级="五级"))
    upload(page, live_server, bad, "有错误.xlsx")

    # then the error is shown with its row and column in Chinese, and there is nothing to confirm
    errors = page.inner_text("[data-testid=error-table]")
    assert "第3行" in errors and "残疾等级" in errors and "应为以下之一：一级、二级、三级、四级" in errors
    assert "没有写入任何数据" in page.inner_text("[data-testid=job-summary]")
    assert page.locator("[data-testid=confirm-form]").count() == 0
    assert not Person.objects.exists()

    # when a good workbook (a community of his street named) is uploaded, previewed and confirmed
    CommunityFactory(name="宁海路社区")
    good = persons_workbook(person_row(姓名="王芳"), person_row(姓名="李强", 所属社区="宁海路社区"))
    upload(page, live_server, good, "正确.xlsx")
    assert "新增 2 条" in page.inner_text("[data-testid=job-summary]")
    assert not Person.objects.exists(), "nothing is written before confirming"
    page.click("[data-testid=confirm-form] button[type=submit]")
    page.wait_for_load_state("networkidle")

    # then the result page shows the counts and the persons are in the register
    assert page.inner_text("[data-testid=count-created]") == "2"
    assert page.inner_text("[data-testid=count-updated]") == "0"
    assert sorted(Person.objects.values_list("name", flat=True)) == ["李强", "王芳"]
