"""The campaign's pages: progress counts, the lists behind them, the visit form and its draft."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import CampaignEntry, EntryState
from core.models import Community, Street
from registry.models import AccessLog, PersonStatus, Survey
from registry.tests.factories import PersonFactory, SurveyFactory

# The campaign's due date (2026-09-30) has passed: every pending entry is overdue.
pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2026-10-08")]


@pytest.fixture
def setting(staff_user, clerk_user, worker_community, other_community):
    """宁海路社区: 2 done, 1 unreachable, 1 pending, 1 left; 颐和路社区: 1 pending; 华侨路街道: 1 done."""
    own = [PersonFactory(community=worker_community) for _ in range(5)]
    neighbour = PersonFactory(community=other_community)
    far_street = Street.objects.get(name="华侨路街道")
    far = PersonFactory(
        street=far_street, community=Community.objects.create(street=far_street, name="测试远社区")
    )
    campaign = services.campaign_open(
        acting_user=staff_user, year=2026, opened_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 9, 30)
    )

    def entry(person):
        return CampaignEntry.objects.get(campaign=campaign, person=person)

    services.campaign_visit_save(acting_user=staff_user, entry=entry(own[0]), year=2026)
    services.campaign_visit_save(acting_user=staff_user, entry=entry(own[1]), year=2026)
    services.campaign_visit_save(acting_user=staff_user, entry=entry(far), year=2026)
    services.campaign_entry_mark_unreachable(acting_user=staff_user, entry=entry(own[2]), reason="hospital")
    own[4].status, own[4].status_changed_on = PersonStatus.DECEASED, dt.date(2026, 5, 1)
    own[4].save()
    services.campaign_sync(campaign=campaign)
    return {"campaign": campaign, "own": own, "neighbour": neighbour, "far": far, "entry": entry}


def counts(row):
    return tuple(row.counts[k] for k in ("total", "done", "unreachable", "remaining", "overdue", "left"))


def test_progress_counts_per_community_street_and_district(setting, staff_user, worker_community):
    progress = selectors.campaign_progress(campaign=setting["campaign"], user=staff_user)
    by_label = {r.label: r for r in progress.communities}
    assert counts(by_label["宁海路街道 宁海路社区"]) == (4, 2, 1, 1, 1, 1)
    assert counts(by_label["宁海路街道 颐和路社区"]) == (1, 0, 0, 1, 1, 0)
    assert counts(by_label["华侨路街道 测试远社区"]) == (1, 1, 0, 0, 0, 0)
    streets = {r.label: r for r in progress.streets}
    assert counts(streets["宁海路街道"]) == (5, 2, 1, 2, 2, 1)
    assert counts(progress.district) == (6, 3, 1, 2, 2, 1)


def test_progress_is_one_grouped_query(setting, staff_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the GROUP BY, streets and communities for the labels
        selectors.campaign_progress(campaign=setting["campaign"], user=staff_user)


def test_a_clerk_and_a_community_worker_count_only_their_street_and_community(
    setting, clerk_user, worker_user
):
    campaign = setting["campaign"]
    assert counts(selectors.campaign_progress(campaign=campaign, user=clerk_user).district) == (
        5,
        2,
        1,
        2,
        2,
        1,
    )
    assert counts(selectors.campaign_progress(campaign=campaign, user=worker_user).district) == (
        4,
        2,
        1,
        1,
        1,
        1,
    )


def test_official_sees_numbers_for_the_district_and_never_a_name(setting, client_for, official_user):
    response = client_for(official_user).get(reverse("campaigns:progress", kwargs={"year": 2026}))
    html = response.content.decode()
    assert response.status_code == 200 and "宁海路社区" in html
    assert reverse("campaigns:entry_list") not in html
    assert setting["own"][0].name not in html
    assert client_for(official_user).get(reverse("campaigns:entry_list") + "?year=2026").status_code == 404


def test_slowest_communities_come_first(setting, client_for, staff_user):
    response = client_for(staff_user).get(
        reverse("campaigns:progress", kwargs={"year": 2026}) + "?order=slowest"
    )
    labels = [r.label for r in response.context["communities"]]
    assert labels[0] == "宁海路街道 颐和路社区" and labels[-1] == "华侨路街道 测试远社区"


def test_each_number_links_to_its_list(setting, client_for, clerk_user, worker_community):
    client = client_for(clerk_user)
    html = client.get(reverse("campaigns:progress", kwargs={"year": 2026})).content.decode()
    overdue_url = f"{reverse('campaigns:entry_list')}?year=2026&overdue=1&street={worker_community.street_id}&community={worker_community.pk}"
    assert overdue_url in html
    listed = client.get(overdue_url).context["entries"]
    assert [e.person for e in listed] == [setting["own"][3]]
    left = client.get(f"{reverse('campaigns:entry_list')}?year=2026&left=1").context["entries"]
    assert [e.person for e in left] == [setting["own"][4]]


def test_community_worker_list_shows_only_his_community(setting, client_for, worker_user):
    entries = client_for(worker_user).get(reverse("campaigns:entry_list")).context["entries"]
    assert {e.person for e in entries} == set(setting["own"][:4])


def test_community_worker_opening_another_communitys_visit_gets_404_and_nothing_is_written(
    setting, client_for, worker_user
):
    entry = setting["entry"](setting["neighbour"])
    client = client_for(worker_user)
    url = reverse("campaigns:visit", kwargs={"pk": entry.pk})
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"year": 2026, "visited_on": "2026-10-01", "low_income_type": "none"}).status_code
        == 404
    )
    assert not Survey.objects.filter(person=setting["neighbour"]).exists()


def test_visit_form_shows_the_year_and_last_years_answers(setting, client_for, worker_user):
    person = setting["own"][3]
    SurveyFactory(person=person, year=2025, low_income_type="dibao", household_size=4)
    response = client_for(worker_user).get(
        reverse("campaigns:visit", kwargs={"pk": setting["entry"](person).pk})
    )
    html = response.content.decode()
    assert response.context["form"]["year"].value() == 2026
    assert "去年：低保" in html and "去年：4" in html
    assert html.count('data-testid="visit-step"') == 4


def test_a_draft_is_kept_on_the_server_until_the_survey_is_saved(setting, client_for, worker_user):
    person = setting["own"][3]
    entry = setting["entry"](person)
    client = client_for(worker_user)
    url = reverse("campaigns:visit", kwargs={"pk": entry.pk})

    # given a visit started and left without saving (the autosave posts each change)
    response = client.post(
        url,
        {"action": "draft", "household_size": "5", "employment_status": "unemployed", "needs_rehab": "on"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 204

    # when the form is opened again, the answers are back
    form = client.get(url).context["form"]
    assert (form["household_size"].value(), form["employment_status"].value()) == ("5", "unemployed")
    assert form["needs_rehab"].value() is True and form["needs_care"].value() is False
    assert not Survey.objects.filter(person=person).exists()

    # and saving the survey clears the draft and marks the entry done
    response = client.post(
        url,
        {
            "year": 2026,
            "visited_on": "2026-10-07",
            "household_size": "5",
            "low_income_type": "none",
            "employment_status": "unemployed",
            "wants_work": "yes",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    entry.refresh_from_db()
    assert entry.state == EntryState.DONE and entry.draft == {}
    assert Survey.objects.get(person=person, year=2026).wants_work == "yes"


def test_visit_dated_outside_the_year_is_refused_with_a_chinese_message(setting, client_for, worker_user):
    person = setting["own"][3]
    url = reverse("campaigns:visit", kwargs={"pk": setting["entry"](person).pk})
    response = client_for(worker_user).post(
        url, {"year": 2026, "visited_on": "2025-12-20", "low_income_type": "none"}
    )
    assert response.status_code == 200
    assert "调查日期必须在2026年内" in response.content.decode()
    assert not Survey.objects.filter(person=person).exists()


def test_unreachable_page_records_the_reason(setting, client_for, worker_user):
    person = setting["own"][3]
    entry = setting["entry"](person)
    response = client_for(worker_user).post(
        reverse("campaigns:unreachable", kwargs={"pk": entry.pk}),
        {"reason": "away", "visited_on": "2026-10-02"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.get_reason_display()) == (EntryState.UNREACHABLE, "长期外出")


def test_unreachable_page_logs_the_read_of_its_person_like_the_visit_form(setting, client_for, worker_user):
    person = setting["own"][3]
    entry = setting["entry"](person)
    client = client_for(worker_user)

    for view in ("campaigns:visit", "campaigns:unreachable"):
        assert client.get(reverse(view, kwargs={"pk": entry.pk})).status_code == 200

    logged = AccessLog.objects.filter(user=worker_user, person=person, action=AccessLog.Action.EDIT)
    assert logged.count() == 2
    assert [row.path for row in logged.order_by("pk")] == [
        reverse("campaigns:visit", kwargs={"pk": entry.pk}),
        reverse("campaigns:unreachable", kwargs={"pk": entry.pk}),
    ]


@pytest.mark.parametrize("param", ["street", "community"])
def test_an_id_too_large_for_the_database_in_the_list_url_is_ignored(setting, client_for, staff_user, param):
    from core.filter_fields import int_or_none

    huge = "9" * 20
    response = client_for(staff_user).get(reverse("campaigns:entry_list"), {"year": 2026, param: huge})

    assert response.status_code == 200
    assert int_or_none(huge) is None and int_or_none(str(2**63 - 1)) == 2**63 - 1
    assert int_or_none("x") is None and int_or_none(None) is None and int_or_none("") is None


def test_staff_open_a_campaign_from_the_page_and_a_second_is_refused(client_for, staff_user):
    client = client_for(staff_user)
    assert client.post(reverse("campaigns:index"), {"year": 2026, "due_on": "2026-12-20"}).status_code == 302
    response = client.post(reverse("campaigns:index"), {"year": 2026, "due_on": "2026-12-20"})
    assert "2026年度调查已开启，同一年度不能开启第二次" in response.content.decode()


def test_staff_close_from_the_page_freezes_coverage(setting, client_for, staff_user):
    client = client_for(staff_user)
    client.post(reverse("campaigns:close", kwargs={"year": 2026}))
    html = client.get(reverse("campaigns:progress", kwargs={"year": 2026})).content.decode()
    assert "结束时：名单 6 人，已调查 3 人，无法调查 1 人，未调查 2 人" in html
