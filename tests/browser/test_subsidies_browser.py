"""A clerk sees the 应享未享 hint on a person's page, records the nursing subsidy inline, and the hint goes."""

from django.urls import reverse
from playwright.sync_api import expect

from registry.models import Grade
from registry.tests.factories import PersonFactory
from subsidies.models import Grant, GrantKind

NURSING_HINT = "[data-testid=entitlement-hint][data-kind=nursing]"


def test_clerk_records_nursing_subsidy_and_the_hint_disappears(page, live_server, clerk_user, browser_login):
    # given a grade-一级 person of the clerk's street without any grant
    person = PersonFactory(name="测试重度残疾人", grade=Grade.FIRST)
    browser_login(page, "clerk")

    # when the clerk opens the person's page, the subsidies section loads with the hint
    page.goto(live_server.url + reverse("registry:person_detail", args=[person.pk]))
    section = page.locator("[data-testid=subsidies-section]")
    expect(section.locator(NURSING_HINT)).to_be_visible()
    expect(section.locator(NURSING_HINT)).to_contain_text("重度残疾人护理补贴")

    # and records a nursing grant through the inline form (start month defaults to this month)
    section.locator("[data-testid=grant-add]").click()
    form = section.locator("[data-testid=grant-form]")
    expect(form).to_be_visible()
    form.locator("select[name=kind]").select_option(GrantKind.NURSING_ALLOWANCE)
    form.locator("input[name=monthly_amount]").fill("200")
    form.locator("button[type=submit]").click()

    # then the section shows the grant and no longer the hint
    expect(section.locator("[data-testid=grant-row][data-kind=nursing]")).to_be_visible()
    expect(section.locator(NURSING_HINT)).to_have_count(0)
    expect(section).to_contain_text("已登记重度残疾人护理补贴")
    grant = Grant.objects.get(person=person)
    assert grant.kind == GrantKind.NURSING_ALLOWANCE
    assert grant.history.get().history_user.username == "clerk"
