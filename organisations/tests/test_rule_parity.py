"""One rule, every door (tests/test_rule_parity.py's style): a team without a street is refused by the
page's form, the API, the Excel import (preview, and the admin's row-by-row path) and the admin's
form with the same Chinese message, and nothing is written. The other door-level rules of the app
(an activity outside its owner's life, a dissolution before an activity) are checked on the form
and the API, the doors that write activities."""

import datetime as dt

import pytest
import tablib
from django.urls import reverse

from imports.resources import get_resource_class
from imports.services import import_job_confirm, import_job_upload
from imports.tests.factories import workbook_bytes
from organisations.models import Activity, Organisation, VolunteerTeam
from organisations.tests.factories import ActivityFactory, OrganisationFactory, VolunteerTeamFactory
from registry.tests.factories import street

pytestmark = pytest.mark.django_db

TEAM_MESSAGE = "志愿者队伍必须填写所属街道"
TEAM_FORM = {"name": "无街道志愿队", "street": "", "members": "12", "founded_on": "2024-03-05"}
TEAM_ROW = {"队伍名称": "无街道志愿队", "所属街道": "", "队员人数": 12, "成立日期": "2024-03-05"}


def _import_messages(user, resource: str, row: dict) -> list[str]:
    job = import_job_upload(
        acting_user=user, resource=resource, file_name="队伍.xlsx", data=workbook_bytes([row])
    )
    assert job.status == job.Status.REJECTED
    return [(error["column"], error["message"]) for error in job.errors]


def _admin_import_messages(user, resource: str, row: dict) -> list[str]:
    dataset = tablib.Dataset([*row.values()], headers=list(row))
    result = get_resource_class(resource)().import_data(dataset, dry_run=True, user=user)
    messages = [m for invalid in result.invalid_rows for ms in invalid.error_dict.values() for m in ms]
    messages += [str(error.error) for _, errors in result.row_errors() for error in errors]
    return messages


@pytest.mark.parametrize("role", ["clerk_user", "staff_user"])
def test_a_team_without_a_street_is_refused_on_every_door_with_one_message(role, request, client_for):
    user = request.getfixturevalue(role)
    client = client_for(user)

    page = client.post(reverse("organisations:team_create"), TEAM_FORM)
    api = client.post(
        reverse("organisations_api:teams-list"),
        {"name": "无街道志愿队", "members": 12, "founded_on": "2024-03-05"},
        content_type="application/json",
    )
    api_null = client.post(
        reverse("organisations_api:teams-list"),
        {"name": "无街道志愿队", "street": None, "founded_on": "2024-03-05"},
        content_type="application/json",
    )

    assert page.status_code == 200 and TEAM_MESSAGE in page.content.decode()
    assert api.status_code == 400 and api.json() == {"street": [TEAM_MESSAGE]}
    assert api_null.status_code == 400 and api_null.json() == {"street": [TEAM_MESSAGE]}
    assert _import_messages(user, "volunteer_teams", TEAM_ROW) == [("所属街道", TEAM_MESSAGE)]
    assert _admin_import_messages(user, "volunteer_teams", TEAM_ROW) == [TEAM_MESSAGE]
    assert not VolunteerTeam.objects.exists()


def test_the_admin_form_gives_the_same_message(client_for, admin_user):
    response = client_for(admin_user).post(reverse("admin:organisations_volunteerteam_add"), TEAM_FORM)
    assert response.status_code == 200 and TEAM_MESSAGE in response.content.decode()
    assert not VolunteerTeam.objects.exists()


def test_an_organisation_without_a_street_gets_its_own_message_on_import(staff_user):
    row = {"组织名称": "无街道组织", "组织类型": "社会组织", "所属街道": "", "登记日期": "2020-01-01"}
    assert _import_messages(staff_user, "organisations", row) == [
        ("所属街道", "助残社会组织必须填写所属街道")
    ]
    assert not Organisation.objects.exists()


def test_a_negative_member_count_is_refused_on_every_door_with_the_models_message(client_for, clerk_user):
    message = "队员人数不能为负数"
    client = client_for(clerk_user)
    form = {"name": "负数志愿队", "street": street().pk, "members": "-3", "founded_on": "2024-03-05"}

    page = client.post(reverse("organisations:team_create"), form)
    api = client.post(
        reverse("organisations_api:teams-list"),
        {"name": "负数志愿队", "street": street().pk, "members": -3, "founded_on": "2024-03-05"},
        content_type="application/json",
    )
    row = {"队伍名称": "负数志愿队", "所属街道": "宁海路街道", "队员人数": -3, "成立日期": "2024-03-05"}

    assert page.status_code == 200 and page.context["form"].errors == {"members": [message]}
    assert api.status_code == 400 and api.json() == {"members": [message]}
    assert _import_messages(clerk_user, "volunteer_teams", row) == [
        ("队员人数", f"{message}（填写的是：-3）")
    ]
    assert _admin_import_messages(clerk_user, "volunteer_teams", row) == [message]
    assert not VolunteerTeam.objects.exists()


def _post_activity(client, *, page: dict, api: dict):
    """One activity of a team founded on 2022-06-01, posted by the page's form and by the API."""
    team = VolunteerTeamFactory(founded_on=dt.date(2022, 6, 1))
    return (
        client.post(reverse("organisations:team_activity_create", args=[team.pk]), page),
        client.post(
            reverse("organisations_api:activities-list"),
            {"team": team.pk, **api},
            content_type="application/json",
        ),
    )


def test_negative_activity_counts_are_refused_on_form_and_api_with_the_models_messages(
    client_for, clerk_user
):
    page, api = _post_activity(
        client_for(clerk_user),
        page={"date": "2024-05-31", "title": "义诊", "participants": "-1", "persons_served": "-2"},
        api={"date": "2024-05-31", "title": "义诊", "participants": -1, "persons_served": -2},
    )
    expected = {"participants": ["参与人数不能为负数"], "persons_served": ["服务人次不能为负数"]}
    assert page.status_code == 200 and page.context["form"].errors == expected
    assert api.status_code == 400 and api.json() == expected
    assert not Activity.objects.exists()


def test_an_activity_before_the_founding_is_refused_on_form_and_api_alike(client_for, clerk_user):
    message = "活动日期早于该队伍的成立日期（2022-06-01）"
    page, api = _post_activity(
        client_for(clerk_user),
        page={"date": "2022-05-31", "title": "早", "participants": "1", "persons_served": "1"},
        api={"date": "2022-05-31", "title": "早"},
    )
    assert message in page.content.decode()
    assert api.status_code == 400 and api.json() == {"date": [message]}
    assert not Activity.objects.exists()


def test_a_dissolution_before_an_activity_is_refused_on_form_api_and_import(client_for, staff_user):
    organisation = OrganisationFactory(name="将注销组织", registered_on=dt.date(2019, 5, 1))
    ActivityFactory(organisation=organisation, date=dt.date(2024, 5, 18))
    message = "该组织在2024-05-18还有活动记录，注销日期不能早于该日"
    client = client_for(staff_user)
    page = client.post(
        reverse("organisations:organisation_update", args=[organisation.pk]),
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "street": organisation.street_id,
            "registered_on": "2019-05-01",
            "dissolved_on": "2024-05-01",
        },
    )
    api = client.patch(
        reverse("organisations_api:organisations-detail", args=[organisation.pk]),
        {"dissolved_on": "2024-05-01"},
        content_type="application/json",
    )
    row = {
        "组织名称": organisation.name,
        "组织类型": organisation.get_kind_display(),
        "所属街道": organisation.street.name,
        "登记日期": "2019-05-01",
        "注销日期": "2024-05-01",
    }
    imported = [m for _, m in _import_messages(staff_user, "organisations", row)]
    assert message in page.content.decode()
    assert api.status_code == 400 and api.json() == {"dissolved_on": [message]}
    assert [m.split("（填写的是")[0] for m in imported] == [message]
    organisation.refresh_from_db()
    assert organisation.dissolved_on is None


def test_the_import_moves_a_team_and_its_activities_to_another_street(staff_user):
    team = VolunteerTeamFactory(name="搬迁志愿队", founded_on=dt.date(2020, 3, 5))
    activity = ActivityFactory(organisation=None, team=team, date=dt.date(2024, 5, 18))
    row = {"队伍名称": "搬迁志愿队", "所属街道": "华侨路", "队员人数": 20, "成立日期": "2020-03-05"}
    job = import_job_upload(
        acting_user=staff_user, resource="volunteer_teams", file_name="队伍.xlsx", data=workbook_bytes([row])
    )
    assert job.status == job.Status.READY, job.errors
    job = import_job_confirm(acting_user=staff_user, job=job)
    assert job.status == job.Status.DONE, job.errors
    activity.refresh_from_db()
    assert activity.street == street("华侨路街道")


def test_a_clerk_imports_his_streets_teams_and_not_anothers(clerk_user):
    rows = [
        {"队伍名称": "宁海路新队", "所属街道": "宁海路街道", "队员人数": 15, "成立日期": "2025-01-05"},
        {"队伍名称": "华侨路新队", "所属街道": "华侨路街道", "队员人数": 15, "成立日期": "2025-01-05"},
    ]
    job = import_job_upload(
        acting_user=clerk_user, resource="volunteer_teams", file_name="队伍.xlsx", data=workbook_bytes(rows)
    )
    assert job.status == job.Status.REJECTED
    assert [(e["row"], e["message"]) for e in job.errors] == [(3, "无权操作其他街道的记录")]
    job = import_job_upload(
        acting_user=clerk_user,
        resource="volunteer_teams",
        file_name="队伍.xlsx",
        data=workbook_bytes(rows[:1]),
    )
    assert import_job_confirm(acting_user=clerk_user, job=job).status == job.Status.DONE
    assert VolunteerTeam.objects.get().history.get().history_user == clerk_user


@pytest.mark.parametrize("name", ["organisations", "volunteer_teams"])
def test_the_export_imports_back_unchanged(name):
    """The archive's round trip for the app's two templates (imports' one_of_everything fixture
    holds no organisation yet: the integrator adds them there)."""
    import io

    from imports.services import run_import
    from sheets.exports import write_export

    OrganisationFactory(name="=示范组织", is_demonstration=True, dissolved_on=dt.date(2024, 6, 30))
    VolunteerTeamFactory(name="+志愿队", leader="-李", street=street("华侨路街道"))
    resource_cls = get_resource_class(name)
    output = io.BytesIO()
    count = write_export(resource_cls, resource_cls().export_queryset(), output)

    report = run_import(name, output.getvalue())

    assert report.accepted, report.errors
    assert (count, report.created, report.updated, report.unchanged) == (1, 0, 0, 1)
