"""The dashboard's plan check in the browser: a street without a volunteer team is red; its clerk
registers a team and the street turns green."""

import datetime as dt

from core.periods import today
from organisations.models import VolunteerTeam
from organisations.tests.factories import ActivityFactory, OrganisationFactory
from registry.tests.factories import street


def test_registering_a_team_turns_the_streets_plan_check_green(
    page, live_server, clerk_user, browser_login, console_errors
):
    # given 宁海路街道 has an organisation active this year (an activity this year) but no team
    organisation = OrganisationFactory(name="宁海路街道阳光助残服务中心", street=street("宁海路街道"))
    ActivityFactory(
        organisation=organisation, date=max(today() - dt.timedelta(days=3), today().replace(day=1, month=1))
    )
    ninghai = '[data-testid=plan-check-streets] [data-street="宁海路街道"]'

    # the clerk of that street sees it red on the dashboard
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/indicators/")
    page.wait_for_selector("[data-testid=plan-check]")
    assert page.get_attribute(ninghai, "data-ok") == "no"
    assert "缺少活跃的志愿者队伍" in page.get_attribute(ninghai, "title")

    # when he registers a volunteer team of his street
    page.goto(f"{live_server.url}/organisations/teams/")
    page.click("[data-testid=team-create]")
    page.fill("#id_name", "宁海路街道助残志愿服务队")
    page.fill("#id_members", "26")
    page.fill("#id_leader", "李队长")
    page.fill("#id_founded_on", today().isoformat())
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("[data-testid=team-name]")
    assert page.inner_text("[data-testid=team-name]") == "宁海路街道助残志愿服务队"
    assert VolunteerTeam.objects.get().history.get().history_user == clerk_user

    # then the dashboard shows the street green
    page.goto(f"{live_server.url}/indicators/")
    page.wait_for_selector("[data-testid=plan-check]")
    assert page.get_attribute(ninghai, "data-ok") == "yes"
    assert not [e for e in console_errors if "favicon" not in e], console_errors
