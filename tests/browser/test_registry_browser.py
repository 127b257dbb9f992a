from playwright.sync_api import expect

from core.models import Street
from registry.tests.factories import PersonFactory


def test_clerk_searches_edits_phone_sees_history_and_cannot_open_other_street(
    page, live_server, clerk_user, browser_login
):
    # given a person in the clerk's street and one in another street
    mine = PersonFactory(name="陈小红", street=Street.objects.get(name="宁海路街道"), phone="13900000000")
    PersonFactory(name="陈大明", street=Street.objects.get(name="宁海路街道"))
    other = PersonFactory(name="林外街", street=Street.objects.get(name="华侨路街道"))
    browser_login(page, "clerk")

    # when he searches by name on the list page
    page.goto(f"{live_server.url}/registry/persons/")
    page.fill("#id_q", "小红")
    page.keyboard.press("Enter")
    table = page.locator("[data-testid=person-table]")
    expect(table).to_contain_text("陈小红")
    expect(table).not_to_contain_text("陈大明")
    expect(table).to_contain_text(mine.masked_id_number)

    # and edits the phone from the detail page
    page.click("text=陈小红")
    expect(page.locator("[data-testid=id-number]")).to_have_text(mine.id_number)
    page.click("text=修改人员信息")
    page.fill("#id_phone", "13911112222")
    page.click("button[type=submit]:has-text('保存')")

    # then the detail page shows the new phone and the change in the history
    expect(page.locator("[data-testid=phone]")).to_have_text("13911112222")
    history = page.locator("[data-testid=history]")
    expect(history).to_contain_text("联系电话")
    expect(history).to_contain_text("13900000000")
    expect(history).to_contain_text("13911112222")
    expect(history).to_contain_text("clerk")

    # and another street's person answers 404
    response = page.goto(f"{live_server.url}/registry/persons/{other.pk}/")
    assert response.status == 404


def test_clerk_records_and_corrects_a_survey_inside_the_persons_page(
    page, live_server, clerk_user, browser_login
):
    person = PersonFactory(name="周新调", street=Street.objects.get(name="宁海路街道"))
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/registry/persons/{person.pk}/")
    section = page.locator("[data-testid=survey-section]")

    # the form opens inside the section and saves without leaving the person's page
    section.locator("[data-testid=survey-add]").click()
    form = section.locator("[data-testid=survey-form]")
    # htmx puts the cursor in the first field once the form has settled, and the browser may have put
    # it there already (its own autofocus): filling before htmx is done races the second focus, which
    # typed into 调查年度. Wait for the settle to end, then for the cursor.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    expect(form.locator("#id_year")).to_be_focused()
    form.locator("#id_household_size").fill("3")
    form.locator("#id_needs_rehab").check()
    form.locator("button[type=submit]").click()
    expect(section.locator("[role=status]")).to_contain_text("年度调查已保存")
    expect(section.locator("[data-testid=survey-row]")).to_have_count(1)
    expect(section.locator("[data-testid=survey-row]")).to_contain_text("康复")
    assert page.url.endswith(f"/registry/persons/{person.pk}/")

    # a correction opens in the same place, with the year fixed
    section.locator("[data-testid=survey-row] >> text=修改").click()
    expect(form.locator("#id_year")).to_be_disabled()
    form.locator("#id_household_size").fill("4")
    form.locator("button[type=submit]").click()
    expect(section.locator("[data-testid=survey-row]")).to_contain_text("4")
    assert list(person.surveys.values_list("household_size", "needs_rehab")) == [(4, True)]
