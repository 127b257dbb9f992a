"""信访与维权 in the browser: a 12345 hotline item from receipt to on-time closing."""

from cases.models import Case
from core.periods import today
from core.workdays import add_workdays
from registry.tests.factories import PersonFactory


def test_clerk_takes_a_12345_item_from_receipt_to_on_time_closing(
    page, live_server, clerk_user, browser_login, console_errors
):
    person = PersonFactory(name="李热线")
    received = today()

    # given the clerk records a 12345 work order for a person of his street
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/cases/")
    page.click("[data-testid=case-new]")
    page.select_option("#id_source", label="12345")
    page.fill("#id_received_on", received.isoformat())
    page.fill("#id_person_id_number", person.id_number)
    page.fill("#id_subject", "反映护理补贴本月未到账")
    page.select_option("#id_category", label="补贴")
    page.click("[data-testid=case-form] button[type=submit]")
    page.wait_for_selector("[data-testid=case-number]")
    deadline = add_workdays(received, 5)
    assert page.inner_text("[data-testid=case-deadline]").startswith(deadline.isoformat())
    assert page.inner_text("[data-testid=case-status]") == "办理中"

    # when he adds an action
    page.fill("#id_action_note", "电话联系街道核实发放记录")
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-testid=action-row] >> text=电话联系街道核实发放记录")

    # and closes it with a reply and an outcome
    page.fill("#id_close_reply", "经核实系银行账户变更所致，已于今日补发。")
    page.select_option("#id_close_outcome", label="已解决")
    page.select_option("#id_close_satisfaction", label="满意")
    page.click("[data-testid=close-form] button[type=submit]")
    page.wait_for_selector("[data-testid=case-closed-on]")

    # then it is closed on time, with his name on the action and in the history
    assert page.inner_text("[data-testid=case-status]") == "已办结"
    assert page.inner_text("[data-testid=timeliness]") == "按期办结"
    assert "已办结（按期办结）" in page.content()
    case = Case.objects.get()
    assert case.person == person and case.closed_on == received and case.closed_on_time
    assert case.actions.get().by == clerk_user
    assert case.history.first().history_user == clerk_user
    assert not [e for e in console_errors if "favicon" not in e], console_errors
