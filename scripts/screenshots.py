"""Screenshots for the README: the workbench, an import preview, the person list and page on a phone.

Run against the quick start (./scripts/demo.sh):
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots
"""

import io
import sys

import openpyxl
from playwright.sync_api import sync_playwright

BASE = sys.argv[1]
OUT = sys.argv[2]
PASSWORD = "Gulou-demo-2025"
HEADERS = ["姓名", "公民身份号码", "残疾类别", "残疾等级", "发证日期", "所属街道", "所属社区", "联系电话"]


def login(page, user):
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def workbook(page) -> bytes:
    """The portal's own blank persons template, filled with one good row and one row of five faults."""
    blank = page.request.get(f"{BASE}/imports/template/?resource=persons").body()
    book = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    rows = [
        [
            "王芳",
            "320106198001010011",
            "肢体",
            "二级",
            "2015-03-01",
            "宁海路街道",
            "宁海路社区",
            "13912345678",
        ],
        ["李强", "32010619800101002X", "八级", "五级", "2015-13-01", "宁海路街道", "宁海璐社区", "12345"],
    ]
    for number, row in enumerate(rows, start=2):
        for header, value in zip(HEADERS, row, strict=True):
            sheet.cell(row=number, column=columns[header], value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    desk = browser.new_page(viewport={"width": 1366, "height": 900})
    login(desk, "demo_clerk")
    desk.goto(f"{BASE}/registry/workbench/")
    desk.wait_for_load_state("networkidle")
    desk.screenshot(path=f"{OUT}/workbench.png", full_page=True)
    desk.goto(f"{BASE}/imports/")
    desk.select_option("#id_resource", "persons")
    desk.set_input_files(
        "#id_file",
        files=[
            {
                "name": "待修改.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": workbook(desk),
            }
        ],
    )
    desk.click("[data-testid=upload-form] button[type=submit]")
    desk.wait_for_load_state("networkidle")
    desk.wait_for_timeout(1500)
    desk.screenshot(path=f"{OUT}/import-preview.png", full_page=True)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    login(phone, "demo_clerk")
    phone.goto(f"{BASE}/registry/persons/")
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=f"{OUT}/person-list-phone.png")
    href = phone.eval_on_selector_all(
        "a[href]",
        "els => els.map(e => e.getAttribute('href')).filter(h => /\\/registry\\/persons\\/\\d+\\/$/.test(h))",
    )[0]
    phone.goto(f"{BASE}{href}")
    phone.wait_for_load_state("networkidle")
    phone.wait_for_timeout(1500)
    phone.screenshot(path=f"{OUT}/person-page-phone.png")
    browser.close()
print("ok")
