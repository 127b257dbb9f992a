"""法律救助 in the browser: a clerk records an anonymous consultation, opens a person's aid case,
is refused a negative amount with the rule's message, closes the case, and an official reads the
year's figures."""

from legal_aid.models import AidCase, Consultation
from registry.tests.factories import PersonFactory


def test_clerk_records_a_consultation_and_a_case_and_closes_it(
    page, live_server, clerk_user, official_user, browser_login, console_errors
):
    person = PersonFactory(name="王维权")

    # given the clerk on the legal-aid page
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/legal-aid/")
    page.click("[data-testid=consultation-add]")

    # when he records an anonymous telephone consultation (the street is his own by default)
    page.select_option("#id_consultation_channel", label="电话")
    page.fill("#id_consultation_visitor_name", "匿名")
    page.select_option("#id_consultation_topic", label="劳动就业")
    page.fill("#id_consultation_summary", "单位拖欠三个月工资，如何申请劳动仲裁")
    page.fill("#id_consultation_handled_by", "王律师")
    page.click("[data-testid=legal-aid-form] button[type=submit]")
    page.wait_for_selector("[data-testid=consultation-row]")

    # then it is listed with its automatic number
    row = page.locator("[data-testid=consultation-row]").first.inner_text()
    assert "匿名" in row and "电话" in row
    assert Consultation.objects.get().number.endswith("-0001")

    # when he opens an aid case for the person with a negative amount
    page.click("[data-testid=case-add]")
    page.fill("#id_aidcase_id_number", person.id_number)
    page.select_option("#id_aidcase_kind", label="诉讼代理")
    page.fill("#id_aidcase_subject", "劳动争议")
    page.fill("#id_aidcase_counsel", "江苏石城律师事务所")
    page.fill("#id_aidcase_amount_recovered", "-100")
    page.click("[data-testid=legal-aid-form] button[type=submit]")

    # then the form says why and nothing is saved
    page.wait_for_selector("text=挽回金额不能为负数")
    assert not AidCase.objects.exists()

    # when he clears the amount and saves, then closes the case the same day with an outcome
    page.fill("#id_aidcase_amount_recovered", "")
    page.click("[data-testid=legal-aid-form] button[type=submit]")
    page.wait_for_selector("[data-testid=case-row]")
    assert "办理中" in page.locator("[data-testid=case-row]").first.inner_text()
    page.click("[data-testid=case-row] >> text=修改/结案")
    opened = page.input_value("#id_aidcase_opened_on")
    page.fill("#id_aidcase_closed_on", opened)
    page.select_option("#id_aidcase_outcome", label="调解成功")
    page.fill("#id_aidcase_amount_recovered", "8000")
    page.click("[data-testid=legal-aid-form] button[type=submit]")
    page.wait_for_selector("text=已结案")

    case = AidCase.objects.get()
    assert case.outcome == "settled" and case.history.first().history_user == clerk_user

    # and an official reads the year's figures (no names)
    page.context.clear_cookies()
    browser_login(page, "official")
    page.goto(f"{live_server.url}/legal-aid/figures/?year={case.closed_on.year}")
    assert "1 人次" in page.locator("[data-testid=district-consultations]").inner_text()
    assert "8,000.00" in page.locator("[data-testid=district-amount]").inner_text()
    assert "王维权" not in page.content()
    assert console_errors == []
