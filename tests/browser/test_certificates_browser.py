"""办证 in the browser: a 新办 from intake to 发证, ending with the person in the register."""

from certificates.tests.factories import new_id_number
from registry.models import Person


def test_new_application_from_intake_to_issue_ends_with_person_in_register(
    page, live_server, clerk_user, staff_user, browser_login
):
    errors = []

    def collect(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", collect)
    id_number = new_id_number()

    # given the street clerk takes a 新办 in from the menu
    browser_login(page, "clerk")
    page.get_by_role("link", name="办证管理").first.click()
    page.click("[data-testid=application-new]")
    page.fill("#id_name", "周办证")
    page.fill("#id_id_number", id_number)
    page.select_option("#id_kind", label="新办")
    page.select_option("#id_street", label="宁海路街道")
    page.click("[data-testid=application-form] button[type=submit]")
    page.wait_for_selector("[data-testid=application-state]")
    assert page.inner_text("[data-testid=application-state]") == "已受理"

    # and records the assessment from the assessment form, then the street review
    page.click("[data-testid=next-step]")
    page.fill("#id_institution", "南京市鼓楼医院")
    page.fill("#id_assessed_on", page.input_value("#id_done_on"))
    page.select_option("#id_category", label="肢体")
    page.select_option("#id_grade", label="三级")
    page.fill("#id_doctor", "王医生")
    page.click("[data-testid=step-form] button[type=submit]")
    page.wait_for_selector("text=已评定")
    page.click("[data-testid=next-step]")
    page.fill("#id_note", "材料齐全")
    page.click("[data-testid=step-form] button[type=submit]")
    page.wait_for_selector("text=街道已初审")
    detail_url = page.url

    # when district staff decides 发证
    page.context.clear_cookies()
    browser_login(page, "staff")
    page.goto(detail_url)
    page.click("[data-testid=next-step]")
    page.select_option("#id_decision", label="发证（准予办理）")
    page.click("[data-testid=step-form] button[type=submit]")
    page.wait_for_selector("[data-testid=person-link]")

    # then the person is in the register with the certificate number from the assessment
    page.click("[data-testid=person-link]")
    page.wait_for_selector("[data-testid=certificates-section]")
    assert f"{id_number}43" in page.inner_text("[data-testid=certificates-section]")
    person = Person.objects.get(id_number=id_number)
    assert person.certificate_number == f"{id_number}43" and person.name == "周办证"
    assert person.history.first().history_user == staff_user
    assert not errors, errors
