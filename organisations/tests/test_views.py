"""Pages: scoping by street, the forms through the services, figures for officials, bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from organisations.models import Activity, OrganisationReview, VolunteerTeam
from organisations.tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    OrganisationReviewFactory,
    VolunteerTeamFactory,
)
from registry.tests.factories import street
from tests.assertions import assert_form_refuses

pytestmark = pytest.mark.django_db


def test_clerk_lists_show_his_streets_records_only(client_for, clerk_user):
    OrganisationFactory(name="宁海路助残中心")
    OrganisationFactory(name="华侨路助残中心", street=street("华侨路街道"))
    VolunteerTeamFactory(name="宁海路志愿队")
    VolunteerTeamFactory(name="华侨路志愿队", street=street("华侨路街道"))
    client = client_for(clerk_user)
    organisations = client.get(reverse("organisations:index")).content.decode()
    teams = client.get(reverse("organisations:team_list")).content.decode()
    assert "宁海路助残中心" in organisations and "华侨路助残中心" not in organisations
    assert "宁海路志愿队" in teams and "华侨路志愿队" not in teams


@freeze_time("2025-03-01")
def test_list_filters_active_this_year_and_demonstration(client_for, staff_user):
    active = OrganisationFactory(name="今年有活动", is_demonstration=True)
    ActivityFactory(organisation=active, date=dt.date(2025, 2, 1))
    OrganisationFactory(name="今年无活动")
    page = client_for(staff_user).get(reverse("organisations:index"), {"active": "yes"}).content.decode()
    assert "今年有活动" in page and "今年无活动" not in page
    page = (
        client_for(staff_user)
        .get(reverse("organisations:index"), {"is_demonstration": "no"})
        .content.decode()
    )
    assert "今年有活动" not in page and "今年无活动" in page


def test_lists_run_a_constant_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    client = client_for(staff_user)
    for _ in range(3):
        organisation = OrganisationFactory()
        OrganisationReviewFactory(organisation=organisation)
        ActivityFactory(organisation=organisation)
        ActivityFactory(organisation=None, team=VolunteerTeamFactory())
    pinned = {}
    for name in ("organisations:index", "organisations:team_list", "organisations:figures"):
        with django_assert_max_num_queries(12) as captured:
            assert client.get(reverse(name)).status_code == 200
        pinned[name] = len(captured.captured_queries)
    for _ in range(20):
        organisation = OrganisationFactory()
        ActivityFactory(organisation=organisation)
        ActivityFactory(organisation=None, team=VolunteerTeamFactory())
    for name, count in pinned.items():
        with django_assert_max_num_queries(count):
            assert client.get(reverse(name)).status_code == 200


def test_clerk_registers_a_team_of_his_street(client_for, clerk_user):
    response = client_for(clerk_user).post(
        reverse("organisations:team_create"),
        {
            "name": "宁海路街道助残志愿服务队",
            "street": street().pk,
            "members": "24",
            "founded_on": "2025-03-01",
        },
    )
    team = VolunteerTeam.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "organisations:team_detail", args=[team.pk]
    )
    assert team.history.get().history_user == clerk_user


def test_a_team_without_a_street_gets_the_message_on_the_form(client_for, staff_user):
    assert_form_refuses(
        client_for(staff_user),
        reverse("organisations:team_create"),
        {"name": "无街道队", "street": "", "members": "3", "founded_on": "2024-01-01"},
        "志愿者队伍必须填写所属街道",
    )
    assert not VolunteerTeam.objects.exists()


def test_the_clerks_street_form_offers_his_street_only(client_for, clerk_user):
    form = client_for(clerk_user).get(reverse("organisations:organisation_create")).context["form"]
    assert [s.name for s in form.fields["street"].queryset] == ["宁海路街道"]
    assert form.initial["street"] == street().pk


def test_activity_and_review_are_added_on_the_organisations_page(client_for, clerk_user):
    organisation = OrganisationFactory(registered_on=dt.date(2020, 1, 1))
    client = client_for(clerk_user)
    response = client.post(
        reverse("organisations:organisation_activity_create", args=[organisation.pk]),
        {"date": "2024-05-19", "title": "全国助残日活动", "participants": "30", "persons_served": "45"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("organisations:review_create", args=[organisation.pk]),
        {"year": "2023", "result": "excellent"},
    )
    assert response.status_code == 302
    page = client.get(reverse("organisations:organisation_detail", args=[organisation.pk])).content.decode()
    assert "全国助残日活动" in page and "2023年" in page and "优秀" in page
    assert Activity.objects.get().street == organisation.street
    # a second review of the same year: the constraint's message on the form, nothing written
    assert_form_refuses(
        client,
        reverse("organisations:review_create", args=[organisation.pk]),
        {"year": "2023", "result": "qualified"},
        "该组织该年度已有评估结果",
    )
    assert OrganisationReview.objects.count() == 1


def test_an_activity_before_the_team_was_founded_is_refused_on_the_form(client_for, clerk_user):
    team = VolunteerTeamFactory(founded_on=dt.date(2022, 6, 1))
    assert_form_refuses(
        client_for(clerk_user),
        reverse("organisations:team_activity_create", args=[team.pk]),
        {"date": "2022-05-31", "title": "早于成立", "participants": "3", "persons_served": "3"},
        "活动日期早于该队伍的成立日期（2022-06-01）",
    )
    assert not Activity.objects.exists()


def test_another_streets_records_answer_404(client_for, clerk_user):
    other = street("华侨路街道")
    activity = ActivityFactory(organisation=OrganisationFactory(street=other))
    team = VolunteerTeamFactory(street=other)
    client = client_for(clerk_user)
    for url in (
        reverse("organisations:organisation_update", args=[activity.organisation.pk]),
        reverse("organisations:team_activity_create", args=[team.pk]),
        reverse("organisations:activity_update", args=[activity.pk]),
    ):
        assert client.post(url, {}).status_code == 404


@freeze_time("2025-03-01")
def test_official_reads_figures_and_nothing_else(client_for, official_user):
    organisation = OrganisationFactory(registered_on=dt.date(2025, 1, 2), is_demonstration=True)
    ActivityFactory(organisation=organisation, date=dt.date(2025, 2, 1), persons_served=12)
    client = client_for(official_user)
    response = client.get(reverse("organisations:figures"))
    page = response.content.decode()
    assert response.status_code == 200 and organisation.name not in page
    row = next(r for r in response.context["figures"].rows if r.street.name == "宁海路街道")
    assert (row.organisations, row.activities, row.persons_served) == (1, 1, 12)
    assert "示范性助残社会组织：全区 1 个" in page
    assert client.get(reverse("organisations:index")).status_code == 404
    assert client.get(reverse("organisations:figures"), {"year": "2024"}).context["year"] == 2024


def test_figures_keep_the_tabs_for_clerks_not_for_officials(client_for, clerk_user, official_user):
    team_list = reverse("organisations:team_list")

    assert team_list in client_for(clerk_user).get(reverse("organisations:figures")).content.decode()
    assert team_list not in client_for(official_user).get(reverse("organisations:figures")).content.decode()


def test_community_workers_do_not_use_the_app(client_for, worker_user):
    client = client_for(worker_user)
    response = client.get(reverse("organisations:team_list"))
    assert response.status_code == 403
    assert "助残组织" in response.content.decode()
