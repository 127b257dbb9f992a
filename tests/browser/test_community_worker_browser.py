from playwright.sync_api import expect

from registry.tests.factories import PersonFactory


def test_community_worker_sees_his_community_records_a_survey_and_is_kept_out_of_grants(
    page, live_server, worker_user, worker_community, other_community, browser_login
):
    # given a person in the worker's community and one in the neighbouring community of the same street
    mine = PersonFactory(name="社区甲", street=worker_community.street, community=worker_community)
    neighbour = PersonFactory(name="社区乙", street=other_community.street, community=other_community)
    browser_login(page, "worker")

    # the menu holds what the role may use, and his community is shown
    nav = page.locator("#portal-nav")
    expect(nav).to_contain_text("持证残疾人")
    expect(nav).not_to_contain_text("补贴与救助")
    expect(nav).not_to_contain_text("Excel导入")
    expect(page.locator("[data-testid=current-user]")).to_contain_text("宁海路社区")

    # when he opens the person list, only his community's person is there
    page.goto(f"{live_server.url}/registry/persons/")
    table = page.locator("[data-testid=person-table]")
    expect(table).to_contain_text("社区甲")
    expect(table).not_to_contain_text("社区乙")

    # and records this year's survey from the person's page
    page.click("text=社区甲")
    expect(page.locator("[data-testid=id-number]")).to_have_text(mine.id_number)
    page.goto(f"{live_server.url}/registry/persons/{mine.pk}/surveys/new/")
    page.fill("#id_year", "2025")
    page.fill("#id_household_size", "3")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator("body")).to_contain_text("2025年度调查已保存")
    assert list(mine.surveys.values_list("year", "household_size")) == [(2025, 3)]

    # then the neighbour's page answers 404 and the grant pages 403 with a Chinese message
    assert page.goto(f"{live_server.url}/registry/persons/{neighbour.pk}/").status == 404
    response = page.goto(f"{live_server.url}/subsidies/")
    assert response.status == 403
    expect(page.locator("[data-testid=forbidden-message]")).to_contain_text("社区专职委员无权使用此功能")
