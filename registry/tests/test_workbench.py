"""工作台 (issue 14 §1): each role lands on its own to-do counts, scoped to its street or community."""

import datetime as dt

import pytest
from django.urls import reverse

from care_homes.tests.factories import PlacementFactory
from core import workbench
from imports.models import ImportJob
from imports.tests.factories import ImportJobFactory
from payments.models import Roll, RollState
from registry.models import Grade, PersonStatus
from registry.tests.factories import PersonFactory, SurveyFactory, street
from subsidies.models import GrantKind
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.usefixtures("frozen_today")
OWN, OTHER = "宁海路街道", "华侨路街道"

# Every item of the 工作台, in the order the apps register them (a clerk and district staff see all).
WORKBENCH_KEYS = [
    "stopped",
    "missing_entitlements",
    "without_survey",
    "imports_ready",
    "cases_overdue",
    "education_gap",
    "cases_due_soon",
    "rolls",
    "legal_aid_long_open",
]


def _gone(street_name, **kwargs):
    return PersonFactory(
        street=street(street_name),
        status=PersonStatus.DECEASED,
        status_changed_on=dt.date(2026, 3, 10),
        **kwargs,
    )


@pytest.fixture
def to_do(worker_community, other_community):
    """Two of everything in 宁海路街道 (one in the worker's community) and one in 华侨路街道."""
    for name in (OWN, OWN, OTHER):
        GrantFactory(person=_gone(name), kind=GrantKind.DIBAO, start_month=dt.date(2025, 1, 1))
    PlacementFactory(person=_gone(OWN), start_date=dt.date(2025, 1, 1))
    # 应享未享 (a 一级 person has no nursing grant) and without a 2026 survey
    PersonFactory(street=street(OWN), community=worker_community, grade=Grade.FIRST)
    PersonFactory(street=street(OWN), community=other_community, grade=Grade.FIRST)
    PersonFactory(street=street(OTHER), grade=Grade.FIRST)
    surveyed = PersonFactory(street=street(OWN), community=worker_community, grade=Grade.FOURTH)
    SurveyFactory(person=surveyed, year=2026)
    ImportJobFactory(street=street(OWN), status=ImportJob.Status.READY)
    ImportJobFactory(street=street(OTHER), status=ImportJob.Status.READY)
    ImportJobFactory(street=street(OWN), status=ImportJob.Status.DONE)
    Roll.objects.create(street=street(OWN), month=dt.date(2026, 11, 1))
    Roll.objects.create(street=street(OTHER), month=dt.date(2026, 10, 1), state=RollState.SUBMITTED)


def counts(response) -> dict[str, int]:
    return {entry.key: entry.count for entry in response.context["entries"]}


def test_home_sends_clerks_workers_and_staff_to_the_workbench(
    client_for, clerk_user, worker_user, staff_user
):
    for user in (clerk_user, worker_user, staff_user):
        assert client_for(user).get(reverse("home"))["Location"] == reverse("registry:workbench")


def test_home_sends_officials_to_the_dashboard(client_for, official_user):
    assert client_for(official_user).get(reverse("home"))["Location"] == reverse("indicators:dashboard")


# The items of issue 15's apps, with nothing to do in this fixture (their apps test their counts).
NOTHING_IN_ISSUE_15_APPS = {
    "cases_overdue": 0,
    "cases_due_soon": 0,
    "legal_aid_long_open": 0,
    "education_gap": 0,
}


def test_clerk_workbench_counts_his_street_only(client_for, clerk_user, to_do):
    response = client_for(clerk_user).get(reverse("registry:workbench"))

    assert (
        counts(response)
        == {
            "stopped": 3,  # two grants and one placement after a death
            "missing_entitlements": 2,
            "without_survey": 2,
            "imports_ready": 1,
            "rolls": 1,  # his street's draft of this month, to submit
        }
        | NOTHING_IN_ISSUE_15_APPS
    )
    html = response.content.decode()
    assert reverse("subsidies:missing_list") in html
    assert f"{reverse('quality:data_quality')}?year=2026#persons_without_survey" in html


def test_community_worker_workbench_counts_his_community_and_hides_closed_domains(
    client_for, worker_user, to_do
):
    response = client_for(worker_user).get(reverse("registry:workbench"))

    assert counts(response) == {"without_survey": 1} | NOTHING_IN_ISSUE_15_APPS


def test_staff_workbench_counts_every_street_and_submitted_rolls(client_for, staff_user, to_do):
    response = client_for(staff_user).get(reverse("registry:workbench"))

    assert (
        counts(response)
        == {
            "stopped": 4,
            "missing_entitlements": 3,
            "without_survey": 3,
            "imports_ready": 2,
            "rolls": 1,  # the submitted roll of 华侨路街道, to approve
        }
        | NOTHING_IN_ISSUE_15_APPS
    )
    assert "?month=2026-10" in response.content.decode()


def test_workbench_year_picker_counts_persons_without_that_years_survey(client_for, clerk_user, to_do):
    response = client_for(clerk_user).get(reverse("registry:workbench"), {"year": "2025"})

    assert response.context["year"] == 2025
    assert counts(response)["without_survey"] == 3
    assert 'data-testid="year-picker"' in response.content.decode()


def test_workbench_runs_a_pinned_number_of_queries(client_for, staff_user, to_do, django_assert_num_queries):
    client = client_for(staff_user)
    client.get(reverse("registry:workbench"))  # warm the session and role caches of this client

    # session, user and groups (3), one COUNT per rule (6: 停发 counts grants and placements), the
    # month of the oldest roll to do (1), the session save (3, in a savepoint) and issue 15's items
    # (3). Pinned so that a new item or a
    # per-row query shows up here.
    with django_assert_num_queries(16):
        client.get(reverse("registry:workbench"))


def test_workbench_menu_item_is_the_only_one_highlighted(client_for, clerk_user):
    html = client_for(clerk_user).get(reverse("registry:workbench")).content.decode()

    assert html.count("nav-link active") == 1
    assert f'aria-current="page" href="{reverse("registry:workbench")}"' in html


def test_apps_register_their_items_without_the_registry_importing_them():
    keys = [item.key for item in workbench.registered()]

    assert keys == WORKBENCH_KEYS


def test_new_survey_form_is_prefilled_with_this_year(client_for, clerk_user):
    person = PersonFactory(street=street(OWN))

    form = client_for(clerk_user).get(reverse("registry:survey_create", args=[person.pk])).context["form"]

    assert form.initial["year"] == 2026


def test_logging_out_says_so(client_for, clerk_user):
    client = client_for(clerk_user)

    response = client.post(reverse("logout"), follow=True)

    assert "您已安全退出" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("login")
