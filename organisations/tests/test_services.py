"""Rules of organisations, teams, reviews and activities, and the definition of "active in Y" at
its edges (hand-computed: 31 December and 1 January on either side of a year)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from core.roles import OTHER_STREET_MESSAGE
from organisations import services
from organisations.models import Activity, Organisation, VolunteerTeam
from organisations.selectors import figures, plan_check
from organisations.tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    OrganisationReviewFactory,
    VolunteerTeamFactory,
)
from registry.tests.factories import street

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError) -> list[str]:
    return exc.messages


# Active in a year --------------------------------------------------------------------------------


def active_organisations(year):
    return set(Organisation.objects.active_in(year).values_list("name", flat=True))


def test_an_organisation_registered_on_the_last_day_of_a_year_is_active_in_that_year_only():
    OrganisationFactory(name="年末登记", registered_on=dt.date(2024, 12, 31))
    assert active_organisations(2024) == {"年末登记"}  # new in 2024
    assert active_organisations(2025) == set()  # no activity in 2025
    assert active_organisations(2023) == set()  # not yet registered


def test_an_older_organisation_is_active_in_a_year_with_an_activity_on_its_first_day():
    organisation = OrganisationFactory(name="老组织", registered_on=dt.date(2019, 5, 1))
    ActivityFactory(organisation=organisation, date=dt.date(2025, 1, 1))
    assert active_organisations(2025) == {"老组织"}
    assert active_organisations(2024) == set()
    assert active_organisations(2026) == set()


def test_dissolution_on_new_years_day_still_counts_that_year_the_day_before_does_not():
    on_first = OrganisationFactory(name="元旦注销", dissolved_on=dt.date(2025, 1, 1))
    ActivityFactory(organisation=on_first, date=dt.date(2025, 1, 1))
    before = OrganisationFactory(name="除夕前注销", dissolved_on=dt.date(2024, 12, 31))
    ActivityFactory(organisation=before, date=dt.date(2024, 12, 31))
    assert active_organisations(2025) == {"元旦注销"}
    assert active_organisations(2024) == {"除夕前注销"}  # 元旦注销 had no activity in 2024


def test_a_team_founded_this_year_is_active_at_once():
    VolunteerTeamFactory(name="新队伍", founded_on=dt.date(2025, 3, 1))
    VolunteerTeamFactory(name="老队伍", founded_on=dt.date(2020, 3, 1))
    assert set(VolunteerTeam.objects.active_in(2025).values_list("name", flat=True)) == {"新队伍"}


# The plan check ----------------------------------------------------------------------------------


def test_plan_check_per_street_and_demonstration_count_in_two_queries():
    ninghai, huaqiao = street("宁海路街道"), street("华侨路街道")
    # 宁海路: an active organisation (new this year) and a team with an activity this year
    OrganisationFactory(street=ninghai, registered_on=dt.date(2025, 2, 1), is_demonstration=True)
    team = VolunteerTeamFactory(street=ninghai, founded_on=dt.date(2019, 1, 1))
    ActivityFactory(organisation=None, team=team, date=dt.date(2025, 4, 2))
    # 华侨路: an organisation without activity this year, and a team
    OrganisationFactory(street=huaqiao, registered_on=dt.date(2018, 1, 1), is_demonstration=True)
    VolunteerTeamFactory(street=huaqiao, founded_on=dt.date(2025, 1, 10))
    # a demonstration organisation dissolved before the year does not count
    OrganisationFactory(street=huaqiao, is_demonstration=True, dissolved_on=dt.date(2024, 12, 31))

    with CaptureQueriesContext(connection) as queries:
        check = plan_check(2025)
    assert len(queries.captured_queries) == 2  # the counts (one statement) and the streets

    rows = {row.street.name: row for row in check.streets}
    assert len(rows) == 13
    assert (rows["宁海路街道"].organisations, rows["宁海路街道"].teams, rows["宁海路街道"].ok) == (1, 1, True)
    assert (rows["华侨路街道"].organisations, rows["华侨路街道"].teams, rows["华侨路街道"].ok) == (
        0,
        1,
        False,
    )
    assert rows["华侨路街道"].missing == "缺少活跃的助残社会组织"
    assert check.demonstration == 2 and check.demonstration_ok
    assert check.streets_ok == 1 and not check.ok


def test_figures_count_the_year_per_street_in_two_queries():
    ninghai = street("宁海路街道")
    organisation = OrganisationFactory(street=ninghai)
    team = VolunteerTeamFactory(street=ninghai, members=25)
    VolunteerTeamFactory(street=ninghai, members=40, founded_on=dt.date(2018, 1, 1))  # idle in 2024
    ActivityFactory(organisation=organisation, date=dt.date(2024, 1, 1), participants=10, persons_served=7)
    ActivityFactory(
        organisation=None, team=team, date=dt.date(2024, 12, 31), participants=5, persons_served=3
    )
    ActivityFactory(organisation=organisation, date=dt.date(2023, 12, 31), persons_served=100)  # last year

    with CaptureQueriesContext(connection) as queries:
        result = figures(2024)
    assert len(queries.captured_queries) == 2
    row = next(r for r in result.rows if r.street.name == "宁海路街道")
    assert (row.organisations, row.teams, row.members) == (1, 1, 25)
    assert (row.activities, row.participants, row.persons_served) == (2, 15, 10)
    assert result.total.activities == 2 and result.demonstration == 0


# Rules -------------------------------------------------------------------------------------------


def test_a_team_without_a_street_is_refused_and_nothing_written(staff_user):
    with pytest.raises(ValidationError) as exc:
        services.team_create(
            acting_user=staff_user, name="无街道队", street=None, founded_on=dt.date(2024, 1, 1)
        )
    assert exc.value.message_dict == {"street": ["志愿者队伍必须填写所属街道"]}
    assert not VolunteerTeam.objects.exists()


def test_a_clerk_registers_teams_of_his_street_only(clerk_user):
    team = services.team_create(
        acting_user=clerk_user,
        name="宁海路助残队",
        street=street("宁海路街道"),
        founded_on=dt.date(2024, 1, 1),
    )
    assert team.history.get().history_user == clerk_user
    with pytest.raises(ValidationError) as exc:
        services.team_create(
            acting_user=clerk_user,
            name="华侨路助残队",
            street=street("华侨路街道"),
            founded_on=dt.date(2024, 1, 1),
        )
    assert messages_of(exc.value) == [OTHER_STREET_MESSAGE]


def test_members_cannot_be_negative(staff_user):
    with pytest.raises(ValidationError) as exc:
        services.team_create(
            acting_user=staff_user, name="负数队", street=street(), founded_on=dt.date(2024, 1, 1), members=-1
        )
    assert "队员人数不能为负数" in messages_of(exc.value)


def test_an_activity_belongs_to_exactly_one_owner(staff_user):
    organisation, team = OrganisationFactory(), VolunteerTeamFactory()
    for owners in ({}, {"organisation": organisation, "team": team}):
        with pytest.raises(ValidationError) as exc:
            services.activity_create(acting_user=staff_user, date=dt.date(2024, 5, 1), title="活动", **owners)
        assert messages_of(exc.value) == ["活动必须属于一个助残社会组织或一支志愿者队伍（二者选其一）"]
    assert not Activity.objects.exists()


def test_an_activity_falls_within_its_owners_life_both_days_included(staff_user):
    team = VolunteerTeamFactory(founded_on=dt.date(2021, 3, 1), dissolved_on=dt.date(2024, 6, 30))
    for day in (dt.date(2021, 3, 1), dt.date(2024, 6, 30)):
        services.activity_create(acting_user=staff_user, team=team, date=day, title="边界日活动")
    with pytest.raises(ValidationError) as exc:
        services.activity_create(acting_user=staff_user, team=team, date=dt.date(2021, 2, 28), title="早")
    assert messages_of(exc.value) == ["活动日期早于该队伍的成立日期（2021-03-01）"]
    with pytest.raises(ValidationError) as exc:
        services.activity_create(acting_user=staff_user, team=team, date=dt.date(2024, 7, 1), title="晚")
    assert messages_of(exc.value) == ["该队伍已于2024-06-30解散，不能登记此后的活动"]
    assert Activity.objects.count() == 2


def test_an_activity_takes_its_owners_street_and_follows_it(staff_user):
    organisation = OrganisationFactory(street=street("宁海路街道"))
    activity = services.activity_create(
        acting_user=staff_user,
        organisation=organisation,
        date=dt.date(2024, 5, 1),
        title="讲座",
        persons_served=9,
    )
    assert activity.street.name == "宁海路街道"
    services.organisation_update(
        acting_user=staff_user, organisation=organisation, street=street("华侨路街道")
    )
    activity.refresh_from_db()
    assert activity.street.name == "华侨路街道"


def test_a_dissolution_date_may_not_leave_activities_after_it(staff_user):
    organisation = OrganisationFactory()
    ActivityFactory(organisation=organisation, date=dt.date(2024, 5, 18))
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(
            acting_user=staff_user, organisation=organisation, dissolved_on=dt.date(2024, 5, 17)
        )
    assert messages_of(exc.value) == ["该组织在2024-05-18还有活动记录，注销日期不能早于该日"]
    services.organisation_update(
        acting_user=staff_user, organisation=organisation, dissolved_on=dt.date(2024, 5, 18)
    )


def test_dissolution_before_registration_is_refused(staff_user):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=staff_user,
            name="先注销后登记",
            kind="social",
            street=street(),
            registered_on=dt.date(2024, 5, 1),
            dissolved_on=dt.date(2024, 4, 30),
        )
    assert messages_of(exc.value) == ["注销日期不能早于登记日期"]


@freeze_time("2025-03-01")
def test_one_review_per_organisation_and_year_not_in_the_future(staff_user):
    review = OrganisationReviewFactory(year=2024)
    with pytest.raises(ValidationError) as exc:
        services.review_create(
            acting_user=staff_user, organisation=review.organisation, year=2024, result="excellent"
        )
    assert messages_of(exc.value) == ["该组织该年度已有评估结果"]
    with pytest.raises(ValidationError) as exc:
        services.review_create(
            acting_user=staff_user, organisation=review.organisation, year=2026, result="excellent"
        )
    assert messages_of(exc.value) == ["评估年度不能晚于今年"]
    services.review_update(acting_user=staff_user, review=review, result="excellent")
    review.refresh_from_db()
    assert review.get_result_display() == "优秀"
