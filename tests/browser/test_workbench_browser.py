"""issue 14: each role lands on its 工作台; a clerk registers a hint's subsidy in one click; another
street's person answers a Chinese 404. The console stays free of errors (CSP violations included)."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from payments.tests.factories import StandardFactory
from registry.models import Grade
from registry.tests.factories import PersonFactory, street
from registry.tests.test_workbench import WORKBENCH_KEYS
from subsidies.models import Grant, GrantKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("username", "fixture", "keys"),
    [
        ("clerk", "clerk_user", WORKBENCH_KEYS),
        (
            "worker",
            "worker_user",
            ["without_survey", "cases_overdue", "education_gap", "cases_due_soon", "legal_aid_long_open"],
        ),
        ("staff", "staff_user", WORKBENCH_KEYS),
    ],
)
def test_each_role_lands_on_its_workbench(
    page, live_server, browser_login, console_errors, request, username, fixture, keys
):
    request.getfixturevalue(fixture)
    PersonFactory(street=street("宁海路街道"), grade=Grade.FIRST)

    browser_login(page, username)

    expect(page).to_have_url(live_server.url + reverse("registry:workbench"))
    items = page.locator("[data-testid=workbench-item]")
    assert [items.nth(i).get_attribute("data-key") for i in range(items.count())] == keys
    expect(page.locator(".nav-link.active")).to_have_count(1)
    expect(page.locator(".nav-link.active")).to_have_text("工作台")
    assert console_errors == []


def test_official_lands_on_the_dashboard(page, live_server, browser_login, console_errors, official_user):
    browser_login(page, "official")

    expect(page).to_have_url(live_server.url + reverse("indicators:dashboard"))


def test_clerk_registers_a_hint_in_one_click_with_the_standard_prefilled(
    page, live_server, browser_login, console_errors, clerk_user
):
    StandardFactory(
        kind=GrantKind.NURSING_ALLOWANCE, monthly_amount="90.00", effective_month=dt.date(2020, 1, 1)
    )
    person = PersonFactory(street=street("宁海路街道"), grade=Grade.FIRST, name="一键登记人")
    browser_login(page, "clerk")

    # from the workbench's 应享未享 count to its list, then to the person
    page.locator("[data-testid=workbench-item][data-key=missing_entitlements]").click()
    expect(page.locator("[data-testid=missing-row]")).to_contain_text("一键登记人")
    page.goto(live_server.url + reverse("registry:person_detail", args=[person.pk]))

    section = page.locator("[data-testid=subsidies-section]")
    section.locator("[data-testid=hint-register]").click()
    form = section.locator("[data-testid=grant-form]")
    expect(form.locator("select[name=kind]")).to_have_value("nursing")
    expect(form.locator("input[name=monthly_amount]")).to_have_value("90.00")
    form.locator("button[type=submit]").click()

    expect(section.locator("[data-testid=grant-row][data-kind=nursing]")).to_be_visible()
    assert Grant.objects.get(person=person).monthly_amount == 90
    assert console_errors == []


def test_clerk_gets_a_chinese_404_for_another_streets_person(
    page, live_server, browser_login, console_errors, clerk_user
):
    other = PersonFactory(street=street("华侨路街道"))
    browser_login(page, "clerk")

    response = page.goto(live_server.url + reverse("registry:person_detail", args=[other.pk]))

    assert response.status == 404
    expect(page.locator("[data-testid=not-found-message]")).to_contain_text("该人员不属于您所在的街道")
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    # the 404 response itself is the only console message Chromium prints
    assert [e for e in console_errors if "404" not in e] == []


def test_inline_form_rerendered_with_errors_causes_no_csp_error(
    page, live_server, browser_login, console_errors, clerk_user
):
    person = PersonFactory(street=street("宁海路街道"), grade=Grade.FOURTH)
    browser_login(page, "clerk")
    page.goto(live_server.url + reverse("registry:person_detail", args=[person.pk]))
    section = page.locator("[data-testid=subsidies-section]")

    # a new living allowance without its monthly amount is refused and the form comes back (htmx)
    section.locator("[data-testid=grant-add]").click()
    form = section.locator("[data-testid=grant-form]")
    form.locator("select[name=kind]").select_option(GrantKind.LIVING_ALLOWANCE)
    form.locator("button[type=submit]").click()
    expect(form).to_contain_text("请填写月标准（元）")
    form.locator("input[name=monthly_amount]").fill("100")
    form.locator("button[type=submit]").click()

    expect(section.locator("[data-testid=grant-row][data-kind=living]")).to_be_visible()
    assert not [e for e in console_errors if "Content Security Policy" in e or "style" in e]
    assert console_errors == []


def test_choosing_a_monthly_kind_fills_in_the_standard_amount(
    page, live_server, browser_login, console_errors, clerk_user
):
    StandardFactory(
        kind=GrantKind.LIVING_ALLOWANCE, monthly_amount="120.00", effective_month=dt.date(2020, 1, 1)
    )
    person = PersonFactory(street=street("宁海路街道"), grade=Grade.FOURTH)
    browser_login(page, "clerk")
    page.goto(live_server.url + reverse("registry:person_detail", args=[person.pk]))
    section = page.locator("[data-testid=subsidies-section]")

    section.locator("[data-testid=grant-add]").click()
    form = section.locator("[data-testid=grant-form]")
    form.locator("select[name=kind]").select_option(GrantKind.LIVING_ALLOWANCE)

    expect(form.locator("input[name=monthly_amount]")).to_have_value("120.00")
    form.locator("button[type=submit]").click()
    expect(section.locator("[data-testid=grant-row][data-kind=living]")).to_be_visible()
    assert console_errors == []
