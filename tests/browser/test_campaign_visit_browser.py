"""A community worker's home visit on a 390 px phone, start to finish."""

import datetime as dt

from playwright.sync_api import expect

from campaigns import services
from campaigns.models import CampaignEntry, EntryState
from core.periods import today
from registry.models import Survey
from registry.tests.factories import PersonFactory, SurveyFactory


def test_community_worker_visit_on_a_phone_keeps_a_draft_and_saves_the_survey(
    page, live_server, staff_user, worker_user, worker_community, browser_login
):
    year = today().year
    person = PersonFactory(name="入户甲", community=worker_community, address="宁海路1号")
    SurveyFactory(person=person, year=year - 1, low_income_type="dibao", household_size=4)
    campaign = services.campaign_open(
        acting_user=staff_user, year=year, opened_on=dt.date(year, 1, 2), due_on=dt.date(year, 12, 31)
    )
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "worker")

    # the worker opens his list from the menu and starts the visit
    page.goto(f"{live_server.url}/campaigns/entries/?year={year}&state=pending")
    expect(page.locator("[data-testid=entry-list]")).to_contain_text("入户甲")
    page.click("text=入户调查")

    # one group of questions per screen, the year filled in, last year's answer beside the question
    steps = page.locator("[data-testid=visit-step]")
    expect(steps.nth(0)).to_be_visible()
    expect(steps.nth(1)).to_be_hidden()
    expect(page.locator("#id_year")).to_have_value(str(year))
    expect(steps.nth(0)).to_contain_text("去年：4")
    page.fill("#id_household_size", "5")
    page.locator("#id_household_size").dispatch_event("change")
    expect(page.locator("[data-draft-status]")).to_contain_text("已自动暂存")
    page.click("[data-testid=visit-step] >> nth=0 >> text=下一步")
    expect(steps.nth(1)).to_be_visible()
    expect(steps.nth(1)).to_contain_text("去年：低保")
    page.select_option("#id_low_income_type", "dibao_edge")
    expect(page.locator("[data-draft-status]")).to_contain_text("已自动暂存")
    # nothing is wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # when the visit is interrupted and the page opened again, nothing is lost
    page.reload()
    expect(page.locator("[data-testid=draft-notice]")).to_be_visible()
    expect(page.locator("#id_household_size")).to_have_value("5")
    expect(page.locator("#id_low_income_type")).to_have_value("dibao_edge")
    assert not Survey.objects.filter(person=person, year=year).exists()

    # the worker goes through the remaining screens and saves
    page.click("[data-testid=visit-step] >> nth=0 >> text=下一步")
    page.click("[data-testid=visit-step] >> nth=1 >> text=下一步")
    page.select_option("#id_employment_status", "unemployed")
    page.select_option("#id_wants_work", "yes")
    page.click("[data-testid=visit-step] >> nth=2 >> text=下一步")
    page.check("#id_needs_rehab")
    page.click("[data-testid=visit-save]")
    expect(page.locator("body")).to_contain_text(f"入户甲的{year}年度调查已保存")

    survey = Survey.objects.get(person=person, year=year)
    assert (survey.household_size, survey.low_income_type, survey.employment_status) == (
        5,
        "dibao_edge",
        "unemployed",
    )
    assert survey.needs_rehab is True
    entry = CampaignEntry.objects.get(campaign=campaign, person=person)
    assert entry.state == EntryState.DONE and entry.draft == {}
    expect(page.locator("[data-testid=entry-list]")).not_to_contain_text("入户甲")
    assert not errors, errors
