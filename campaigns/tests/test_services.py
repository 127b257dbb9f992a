"""Opening, keeping the list in step, visits, unreachable reasons, closing: the campaign's services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from campaigns import services
from campaigns.models import Campaign, CampaignEntry, EntryState, UnreachableReason
from registry import services as registry_services
from registry.models import PersonStatus, Survey
from registry.tests.factories import PersonFactory, SurveyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2026-06-15")]


@pytest.fixture
def campaign(staff_user):
    return services.campaign_open(acting_user=staff_user, year=2026, due_on=dt.date(2026, 9, 30))


def entry_of(campaign, person):
    return CampaignEntry.objects.get(campaign=campaign, person=person)


def test_opening_lists_everyone_in_the_register_on_the_opening_date(staff_user):
    # given one person in the register, one certified later and one who died before the opening
    present = PersonFactory()
    later = PersonFactory(issued_on=dt.date(2026, 6, 1))
    dead = PersonFactory(status=PersonStatus.DECEASED, status_changed_on=dt.date(2026, 2, 1))

    campaign = services.campaign_open(
        acting_user=staff_user, year=2026, opened_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 9, 30)
    )

    listed = set(
        CampaignEntry.objects.filter(campaign=campaign, left_on__isnull=True).values_list("person", flat=True)
    )
    # the opening sync (today, 2026-06-15) adds the person certified on 2026-06-01 as a joiner
    assert present.pk in listed and later.pk in listed
    assert not CampaignEntry.objects.filter(person=dead).exists()
    assert entry_of(campaign, present).joined_on == dt.date(2026, 3, 1)
    assert entry_of(campaign, later).joined_on == dt.date(2026, 6, 15)
    assert entry_of(campaign, present).state == EntryState.PENDING


def test_a_second_campaign_for_the_same_year_is_refused_and_nothing_is_written(campaign, staff_user):
    entries = CampaignEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.campaign_open(acting_user=staff_user, year=2026, due_on=dt.date(2026, 10, 31))
    assert "2026年度调查已开启，同一年度不能开启第二次" in str(exc.value)
    assert Campaign.objects.count() == 1 and CampaignEntry.objects.count() == entries


def test_only_district_staff_open_a_campaign(clerk_user, worker_user):
    for user in (clerk_user, worker_user):
        with pytest.raises(ValidationError, match="只有区残联工作人员"):
            services.campaign_open(acting_user=user, year=2026, due_on=dt.date(2026, 9, 30))
    assert not Campaign.objects.exists()


def test_persons_who_join_are_added_and_persons_who_leave_are_marked_not_removed(campaign, staff_user):
    # given a person on the list who then moves out, and a person registered after the opening
    leaver = PersonFactory()
    services.campaign_sync(campaign=campaign)
    registry_services.person_change_status(
        acting_user=staff_user, person=leaver, status=PersonStatus.MOVED_OUT, changed_on=dt.date(2026, 6, 10)
    )
    joiner = PersonFactory(issued_on=dt.date(2026, 6, 12))

    counts = services.campaign_sync(campaign=campaign)

    assert counts["joined"] == 1 and counts["left"] == 1
    assert entry_of(campaign, joiner).left_on is None
    assert entry_of(campaign, leaver).left_on == dt.date(2026, 6, 10)
    # a status corrected back to 正常 takes the person back onto the list
    registry_services.person_change_status(acting_user=staff_user, person=leaver, status=PersonStatus.ACTIVE)
    services.campaign_sync(campaign=campaign)
    assert entry_of(campaign, leaver).left_on is None


def test_a_survey_of_the_year_saved_elsewhere_marks_the_entry_done(campaign):
    person = PersonFactory()
    services.campaign_sync(campaign=campaign)
    survey = SurveyFactory(person=person, year=2026)
    SurveyFactory(person=PersonFactory(), year=2025)  # another year does not count

    services.campaign_sync(campaign=campaign)

    entry = entry_of(campaign, person)
    assert (entry.state, entry.survey) == (EntryState.DONE, survey)


def test_a_visit_saves_the_survey_of_the_campaign_year_and_marks_the_entry_done(
    campaign, worker_user, worker_community
):
    person = PersonFactory(community=worker_community)
    services.campaign_sync(campaign=campaign)
    entry = entry_of(campaign, person)

    survey = services.campaign_visit_save(
        acting_user=worker_user,
        entry=entry,
        year=2026,
        visited_on=dt.date(2026, 6, 14),
        household_size=3,
        employment_status="unemployed",
        wants_work="yes",
        household_key="NH-0001",
        multi_disabled_household=True,
    )

    entry.refresh_from_db()
    assert (survey.year, survey.employment_status, survey.household_key) == (2026, "unemployed", "NH-0001")
    assert (entry.state, entry.survey_id, entry.visited_on) == (
        EntryState.DONE,
        survey.pk,
        dt.date(2026, 6, 14),
    )
    assert survey.history.first().history_user == worker_user


@pytest.mark.parametrize(
    ("year", "visited_on", "message"),
    [
        (2026, dt.date(2025, 12, 30), "调查日期必须在2026年内（本次为2026年度调查）"),
        (2025, dt.date(2026, 6, 1), "调查年度必须是2026年（本次为2026年度调查）"),
    ],
)
def test_a_survey_dated_outside_the_campaign_year_is_refused_and_nothing_is_written(
    campaign, staff_user, year, visited_on, message
):
    person = PersonFactory()
    services.campaign_sync(campaign=campaign)
    with pytest.raises(ValidationError) as exc:
        services.campaign_visit_save(
            acting_user=staff_user, entry=entry_of(campaign, person), year=year, visited_on=visited_on
        )
    assert message in str(exc.value)
    assert not Survey.objects.exists()
    assert entry_of(campaign, person).state == EntryState.PENDING


def test_a_community_worker_cannot_save_a_survey_for_another_communitys_person(
    campaign, worker_user, other_community
):
    person = PersonFactory(community=other_community)
    services.campaign_sync(campaign=campaign)
    with pytest.raises(ValidationError, match="社区专职委员只能操作本社区人员的记录"):
        services.campaign_visit_save(acting_user=worker_user, entry=entry_of(campaign, person), year=2026)
    assert not Survey.objects.exists()


@pytest.mark.parametrize("reason", [r for r in UnreachableReason if r != UnreachableReason.OTHER])
def test_unreachable_with_each_listed_reason(campaign, clerk_user, reason):
    person = PersonFactory()
    services.campaign_sync(campaign=campaign)
    entry = services.campaign_entry_mark_unreachable(
        acting_user=clerk_user, entry=entry_of(campaign, person), reason=reason
    )
    entry.refresh_from_db()
    assert (entry.state, entry.reason) == (EntryState.UNREACHABLE, reason)


def test_unreachable_needs_a_reason_and_other_needs_its_text(campaign, clerk_user):
    person = PersonFactory()
    services.campaign_sync(campaign=campaign)
    entry = entry_of(campaign, person)
    with pytest.raises(ValidationError, match="请选择无法调查的原因"):
        services.campaign_entry_mark_unreachable(acting_user=clerk_user, entry=entry, reason="")
    entry = entry_of(campaign, person)
    with pytest.raises(ValidationError, match="原因为“其他”时请填写说明"):
        services.campaign_entry_mark_unreachable(acting_user=clerk_user, entry=entry, reason="other")
    assert entry_of(campaign, person).state == EntryState.PENDING
    services.campaign_entry_mark_unreachable(
        acting_user=clerk_user,
        entry=entry_of(campaign, person),
        reason="other",
        reason_text="已搬去外地女儿家",
    )
    assert entry_of(campaign, person).reason_text == "已搬去外地女儿家"


def test_an_unreachable_person_surveyed_later_becomes_done(campaign, clerk_user):
    person = PersonFactory()
    services.campaign_sync(campaign=campaign)
    services.campaign_entry_mark_unreachable(
        acting_user=clerk_user, entry=entry_of(campaign, person), reason="no_contact"
    )
    services.campaign_visit_save(acting_user=clerk_user, entry=entry_of(campaign, person), year=2026)
    entry = entry_of(campaign, person)
    assert (entry.state, entry.reason) == (EntryState.DONE, "")


def test_closing_freezes_the_coverage_and_refuses_later_visits(campaign, staff_user):
    done, pending = PersonFactory(), PersonFactory()
    services.campaign_sync(campaign=campaign)
    services.campaign_visit_save(acting_user=staff_user, entry=entry_of(campaign, done), year=2026)
    total = CampaignEntry.objects.filter(campaign=campaign).count()

    services.campaign_close(acting_user=staff_user, campaign=campaign)

    campaign.refresh_from_db()
    assert campaign.closed_on == dt.date(2026, 6, 15)
    frozen = campaign.frozen_coverage
    assert (frozen["total"], frozen["done"], frozen["remaining"]) == (total, 1, total - 1)
    # later surveys and register changes do not move the frozen figures
    SurveyFactory(person=pending, year=2026)
    services.campaign_sync(campaign=campaign)
    assert entry_of(campaign, pending).state == EntryState.PENDING
    with pytest.raises(ValidationError, match="2026年度调查已结束"):
        services.campaign_visit_save(acting_user=staff_user, entry=entry_of(campaign, pending), year=2026)


def test_a_person_who_moves_to_another_community_is_counted_there_after_the_sync(
    campaign, staff_user, worker_community, other_community
):
    from campaigns.selectors import campaign_progress

    person = PersonFactory(community=worker_community)
    services.campaign_sync(campaign=campaign)
    registry_services.person_update(acting_user=staff_user, person=person, community=other_community)

    services.campaign_sync(campaign=campaign)

    rows = {
        r.community_id: r.counts["total"]
        for r in campaign_progress(campaign=campaign, user=staff_user).communities
    }
    assert rows.get(other_community.pk) == 1 and worker_community.pk not in rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_opening_a_large_list_refreshes_its_statistics_before_the_joins(staff_user, monkeypatch):
    # given a register larger than the threshold (lowered for the test)
    monkeypatch.setattr(services, "ANALYZE_AFTER_JOINED", 3)
    SurveyFactory(person=PersonFactory(), year=2026)
    PersonFactory.create_batch(3)

    campaign = services.campaign_open(acting_user=staff_user, year=2026, due_on=dt.date(2026, 9, 30))

    # then the planner counts the uncommitted entries (an empty-table estimate makes nested loops)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [CampaignEntry._meta.db_table])
        assert cursor.fetchone()[0] == 4
    assert CampaignEntry.objects.filter(campaign=campaign, state=EntryState.DONE).count() == 1
