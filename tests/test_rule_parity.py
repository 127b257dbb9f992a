"""One rule, every door: the same bad record is refused by the page's form, the API and the Excel
import (its preview, through the import service), with the same Chinese message.

Each case builds what it needs as a street clerk of 宁海路街道 and gives, for each door, the request
or the template row of one and the same record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
import tablib
from django.urls import reverse

from care_homes.models import AuxProject, Placement, PlacementMode
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from core.idnumbers import make_id_number
from core.periods import today
from employment.models import Employment, Graduate, Training
from imports.resources import get_resource_class
from imports.services import import_job_upload
from imports.tests.factories import person_row, persons_workbook, workbook_bytes
from registry.models import Person, Survey
from registry.tests.factories import PersonFactory
from rehab.models import RehabService
from subsidies.models import Grant

pytestmark = pytest.mark.django_db


@dataclass
class Door:
    """One bad record as each door takes it."""

    form_url: str
    form_data: dict[str, Any]
    api_url: str
    api_data: dict[str, Any]
    resource: str
    row: dict[str, Any]
    model: type
    message: str


def person_record_door(
    *,
    form_view: str,
    api_url: str,
    resource: str,
    model: type,
    message: str,
    form: dict,
    api: dict,
    row: dict,
) -> Door:
    """A bad record of a new person: the person goes in the page's URL, the API body and the row's
    公民身份号码 column."""
    person = PersonFactory()
    return Door(
        form_url=reverse(form_view, args=[person.pk]),
        form_data=form,
        api_url=api_url,
        api_data={"person": person.pk, **api},
        resource=resource,
        row={"公民身份号码": person.id_number, **row},
        model=model,
        message=message,
    )


def placement_door(home, mode: PlacementMode, dates: dict, message: str) -> Door:
    columns = {"start_date": "开始日期", "end_date": "结束日期"}
    return person_record_door(
        form_view="care_homes:placement_create",
        api_url=reverse("care_homes_api:placements-list"),
        resource="care_placements",
        model=Placement,
        message=message,
        form={"home": home.pk, "mode": mode, **dates},
        api={"home": home.pk, "mode": mode, **dates},
        row={"托养机构": home.name, "托养方式": mode.label, **{columns[k]: v for k, v in dates.items()}},
    )


def closed_home_placement() -> Door:
    home = CareHomeFactory(name="已停用之家", closed_on=dt.date(2022, 6, 30))
    message = "该机构已于2022-06-30停用，不能在此后开始"
    return placement_door(home, PlacementMode.DAY_CARE, {"start_date": "2023-03-01"}, message)


def placement_before_the_home_opened() -> Door:
    home = CareHomeFactory(name="新开之家", opened_on=dt.date(2020, 1, 1))
    message = "开始日期早于该机构的启用日期（2020-01-01）"
    return placement_door(home, PlacementMode.RESIDENTIAL, {"start_date": "2019-03-01"}, message)


def placement_ending_before_it_starts() -> Door:
    dates = {"start_date": "2023-03-01", "end_date": "2023-02-01"}
    message = "结束日期不能早于开始日期"
    return placement_door(CareHomeFactory(name="某之家"), PlacementMode.DAY_CARE, dates, message)


def project_in_a_closed_home() -> Door:
    home = CareHomeFactory(name="已停用之家", closed_on=dt.date(2022, 6, 30))
    return Door(
        form_url=reverse("care_homes:project_create", args=[home.pk]),
        form_data={"name": "纸盒折叠包装", "start_date": "2023-03-01"},
        api_url=reverse("care_homes_api:projects-list"),
        api_data={"home": home.pk, "name": "纸盒折叠包装", "start_date": "2023-03-01"},
        resource="aux_projects",
        row={"托养机构": home.name, "项目名称": "纸盒折叠包装", "开始日期": "2023-03-01"},
        model=AuxProject,
        message="该机构已于2022-06-30停用，不能在此后开始",
    )


def grant_door(message: str, form: dict, api: dict, row: dict) -> Door:
    """A bad grant of a new person, as the grant page, the grants API and the 补贴与救助 template take it."""
    return person_record_door(
        form_view="subsidies:grant_create",
        api_url=reverse("subsidies_api:grant-list"),
        resource="subsidies",
        model=Grant,
        message=message,
        form=form,
        api=api,
        row=row,
    )


def grant_ending_before_it_starts() -> Door:
    return grant_door(
        "结束月份不能早于开始月份",
        form={"kind": "dibao", "start_month": "2024-05", "end_month": "2024-03", "monthly_amount": "100"},
        api={"kind": "dibao", "start_month": "2024-05", "end_month": "2024-03"},
        row={"项目": "最低生活保障", "开始月份": "2024-05", "结束月份": "2024-03"},
    )


def device_fitting_without_a_device() -> Door:
    return person_record_door(
        form_view="rehab:service_create",
        api_url=reverse("rehab_api:service-list"),
        resource="rehab",
        model=RehabService,
        message="辅助器具适配必须填写辅具名称",
        form={"kind": "device", "service_date": "2024-05-06", "provider": "", "device_name": ""},
        api={"kind": "device", "service_date": "2024-05-06"},
        row={"服务项目": "辅助器具适配", "服务日期": "2024-05-06"},
    )


ENDING_BEFORE_IT_STARTS = {"start_date": "2024-04-08", "end_date": "2024-04-01"}
ENDING_BEFORE_IT_STARTS_ROW = {"开始日期": "2024-04-08", "结束日期": "2024-04-01"}


def employment_ending_before_it_starts() -> Door:
    return person_record_door(
        form_view="employment:employment_create",
        api_url=reverse("employment_api:employments-list"),
        resource="employment",
        model=Employment,
        message="结束日期不能早于开始日期",
        form={"form": "quota", "employer": "", **ENDING_BEFORE_IT_STARTS},
        api={"form": "quota", **ENDING_BEFORE_IT_STARTS},
        row={"就业形式": "按比例就业", **ENDING_BEFORE_IT_STARTS_ROW},
    )


def training_ending_before_it_starts() -> Door:
    training = {"name": "网络直播技能培训", "kind": "job", **ENDING_BEFORE_IT_STARTS}
    return person_record_door(
        form_view="employment:training_create",
        api_url=reverse("employment_api:trainings-list"),
        resource="training",
        model=Training,
        message="结束日期不能早于开始日期",
        form=training,
        api=training,
        row={"培训项目": "网络直播技能培训", "培训类型": "岗位技能培训", **ENDING_BEFORE_IT_STARTS_ROW},
    )


def new_person_door(message: str, **fields) -> Door:
    """A new person of 宁海路街道 with `fields` (model field: (value, template column)) changed."""
    id_number = make_id_number("320106", dt.date(1990, 7, 8), 33)
    person = {
        "name": "王五",
        "id_number": id_number,
        "category": "4",
        "grade": "3",
        "issued_on": "2015-04-05",
    }
    blank = {"certificate_number": "", "community": "", "address": "", "phone": ""}
    values = {field: value for field, (value, _) in fields.items()}
    return Door(
        form_url=reverse("registry:person_create"),
        form_data={**person, **blank, **values},
        api_url="/api/registry/persons/",
        api_data={**person, "street": "宁海路街道", **values},
        resource="persons",
        row=person_row(
            **{
                "公民身份号码": id_number,
                "姓名": "王五",
                "发证日期": "2015-04-05",
                **{column: value for value, column in fields.values()},
            }
        ),
        model=Person,
        message=message,
    )


def person_certified_before_birth() -> Door:
    return new_person_door("发证日期不能早于出生日期", issued_on=("1989-04-05", "发证日期"))


def person_with_a_name_too_long() -> Door:
    return new_person_door("不能超过50个字（现有51个）", name=("张" * 51, "姓名"))


def person_with_a_phone_number_too_long() -> Door:
    # a code column (digits kept as text): the same wording as a text column
    return new_person_door("不能超过20个字（现有21个）", phone=("1" * 21, "联系电话"))


def survey_year_in_the_future() -> Door:
    return person_record_door(
        form_view="registry:survey_create",
        api_url="/api/registry/surveys/",
        resource="surveys",
        model=Survey,
        message="调查年度不能晚于今年",
        form={"year": 2099, "household_size": 2, "low_income_type": "none"},
        api={"year": 2099, "household_size": 2},
        row={"调查年度": 2099, "家庭人口数": 2},
    )


def survey_with_a_negative_household_income() -> Door:
    return person_record_door(
        form_view="registry:survey_create",
        api_url="/api/registry/surveys/",
        resource="surveys",
        model=Survey,
        message="不能为负数",
        form={"year": 2024, "household_size": 2, "household_income": "-5", "low_income_type": "none"},
        api={"year": 2024, "household_size": 2, "household_income": "-5"},
        row={"调查年度": 2024, "家庭人口数": 2, "家庭年收入": -5},
    )


def graduate_year_in_the_future() -> Door:
    graduate = {"graduation_year": 2099, "school": "南京大学", "degree": "bachelor"}
    return person_record_door(
        form_view="employment:graduate_create",
        api_url=reverse("employment_api:graduates-list"),
        resource="graduates",
        model=Graduate,
        message="毕业年份不能晚于今年",
        form=graduate,
        api=graduate,
        row={"毕业年份": 2099, "毕业院校": "南京大学", "学历": "本科"},
    )


def rehab_service_in_the_future() -> Door:
    return person_record_door(
        form_view="rehab:service_create",
        api_url=reverse("rehab_api:service-list"),
        resource="rehab",
        model=RehabService,
        message=f"日期不能晚于今天（{today():%Y-%m-%d}）",
        form={"kind": "basic", "service_date": "2099-01-01", "provider": "", "device_name": ""},
        api={"kind": "basic", "service_date": "2099-01-01"},
        row={"服务项目": "基本康复服务", "服务日期": "2099-01-01"},
    )


def grant_with_a_negative_amount() -> Door:
    return grant_door(
        "金额不能为负数",
        form={"kind": "dibao", "start_month": "2024-05", "end_month": "", "monthly_amount": "-5"},
        api={"kind": "dibao", "start_month": "2024-05", "monthly_amount": "-5"},
        row={"项目": "最低生活保障", "开始月份": "2024-05", "月标准": -5},
    )


def rehab_service_with_a_negative_amount() -> Door:
    return person_record_door(
        form_view="rehab:service_create",
        api_url=reverse("rehab_api:service-list"),
        resource="rehab",
        model=RehabService,
        message="金额不能为负数",
        form={
            "kind": "basic",
            "service_date": "2024-03-06",
            "provider": "",
            "device_name": "",
            "amount": "-5",
        },
        api={"kind": "basic", "service_date": "2024-03-06", "amount": "-5"},
        row={"服务项目": "基本康复服务", "服务日期": "2024-03-06", "金额": -5},
    )


def grant_with_three_decimal_places() -> Door:
    return grant_door(
        "最多保留2位小数",
        form={"kind": "dibao", "start_month": "2024-05", "end_month": "", "monthly_amount": "500.125"},
        api={"kind": "dibao", "start_month": "2024-05", "monthly_amount": "500.125"},
        row={"项目": "最低生活保障", "开始月份": "2024-05", "月标准": "500.125"},
    )


def grant_without_a_start_month() -> Door:
    return grant_door(
        "必填项，不能为空",
        form={"kind": "dibao", "start_month": "", "end_month": "", "monthly_amount": "500"},
        api={"kind": "dibao", "monthly_amount": "500"},
        row={"项目": "最低生活保障", "开始月份": "", "月标准": 500},
    )


RULES = [
    closed_home_placement,
    placement_before_the_home_opened,
    placement_ending_before_it_starts,
    project_in_a_closed_home,
    grant_ending_before_it_starts,
    device_fitting_without_a_device,
    employment_ending_before_it_starts,
    training_ending_before_it_starts,
    person_certified_before_birth,
    survey_year_in_the_future,
    graduate_year_in_the_future,
    rehab_service_in_the_future,
    grant_with_a_negative_amount,
    rehab_service_with_a_negative_amount,
    survey_with_a_negative_household_income,
    grant_with_three_decimal_places,
    grant_without_a_start_month,
    person_with_a_name_too_long,
    person_with_a_phone_number_too_long,
]


def _import_preview_messages(user, door: Door) -> list[str]:
    data = persons_workbook(door.row) if door.resource == "persons" else workbook_bytes([door.row])
    job = import_job_upload(acting_user=user, resource=door.resource, file_name="规则.xlsx", data=data)
    assert job.status == job.Status.REJECTED
    return [error["message"] for error in job.errors]


def _admin_import_messages(user, door: Door) -> list[str]:
    """The admin's import: django-import-export's row-by-row path over the same resource."""
    row = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in door.row.items()}
    dataset = tablib.Dataset([*row.values()], headers=list(row))
    result = get_resource_class(door.resource)().import_data(dataset, dry_run=True, user=user)
    messages = [m for invalid in result.invalid_rows for ms in invalid.error_dict.values() for m in ms]
    messages += [str(error.error) for _, errors in result.row_errors() for error in errors]
    return messages


def _api_messages(body: dict) -> list[str]:
    return [message for messages in body.values() for message in messages]


def assert_refused_by_every_door(door: Door, client, user) -> None:
    """The page's form (posted with `client`), the API, the import preview and the admin's import,
    each given `door`'s record as `user`, refuse it with its message; nothing is written."""
    # when the page's form, the API and the import preview are each given it
    page = client.post(door.form_url, door.form_data)
    api = client.post(door.api_url, door.api_data, content_type="application/json")
    imported = _import_preview_messages(user, door)
    admin_imported = _admin_import_messages(user, door)

    # then each door refuses it with the same Chinese message, and nothing is written
    assert page.status_code == 200 and door.message in page.content.decode()
    assert api.status_code == 400 and _api_messages(api.json()) == [door.message]
    # (the import preview adds the value found in the cell: "…（填写的是：2023-03-01）")
    assert [re.sub(r"（填写的是：[^）]*）$", "", message) for message in imported] == [door.message]
    assert admin_imported == [door.message]
    assert not door.model.objects.exists()


@pytest.mark.parametrize("rule", RULES, ids=[rule.__name__ for rule in RULES])
def test_each_rule_is_refused_by_form_api_and_import_with_the_same_message(rule, client_for, clerk_user):
    # given one bad record, as each door takes it
    door = rule()

    assert_refused_by_every_door(door, client_for(clerk_user), clerk_user)


class TestClosingAHomeOnEveryDoor:
    """停用日期 ends the placements and projects still running at the home on the day before,
    whether it comes from the page, the API or an imported care_homes row."""

    def _home_with_running_records(self):
        home = CareHomeFactory(name="将停用之家")
        placement = PlacementFactory(home=home, start_date=dt.date(2021, 1, 1))
        project = AuxProjectFactory(home=home, start_date=dt.date(2021, 3, 1))
        return home, placement, project

    def _assert_ended(self, placement, project):
        placement.refresh_from_db()
        project.refresh_from_db()
        assert (placement.end_date, project.end_date) == (dt.date(2024, 6, 30), dt.date(2024, 6, 30))

    def test_page(self, client_for, clerk_user):
        home, placement, project = self._home_with_running_records()
        client_for(clerk_user).post(
            reverse("care_homes:home_close", args=[home.pk]), {"closed_on": "2024-07-01"}
        )
        self._assert_ended(placement, project)

    def test_api(self, client_for, clerk_user):
        home, placement, project = self._home_with_running_records()
        response = client_for(clerk_user).patch(
            reverse("care_homes_api:homes-detail", args=[home.pk]),
            {"closed_on": "2024-07-01"},
            content_type="application/json",
        )
        assert response.status_code == 200
        self._assert_ended(placement, project)

    def test_admin_import(self, clerk_user):
        home, placement, project = self._home_with_running_records()
        headers = ["机构名称", "机构级别", "所属街道", "启用日期", "停用日期"]
        dataset = tablib.Dataset(
            [home.name, "街道级", "宁海路街道", "2018-01-01", "2024-07-01"], headers=headers
        )

        result = get_resource_class("care_homes")().import_data(dataset, dry_run=False, user=clerk_user)

        assert not result.has_errors() and not result.has_validation_errors()
        self._assert_ended(placement, project)

    def test_import(self, clerk_user):
        from imports.services import import_job_confirm

        home, placement, project = self._home_with_running_records()
        row = {
            "机构名称": home.name,
            "机构级别": "街道级",
            "所属街道": "宁海路街道",
            "残疾人之家": "是",
            "评级": "3A",
            "启用日期": "2018-01-01",
            "停用日期": "2024-07-01",
        }
        job = import_job_upload(
            acting_user=clerk_user, resource="care_homes", file_name="停用.xlsx", data=workbook_bytes([row])
        )
        assert job.status == job.Status.READY, job.errors
        preview = [w["message"] for w in job.warnings]
        assert preview == [
            "托养机构“将停用之家”停用：仍在进行的1项托养服务、1个辅助性就业项目将于2024-06-30结束"
        ]
        placement.refresh_from_db()
        assert placement.end_date is None, "a preview writes nothing"

        job = import_job_confirm(acting_user=clerk_user, job=job)

        assert job.status == job.Status.DONE, job.errors
        self._assert_ended(placement, project)
        assert placement.history.latest().history_user == clerk_user


class TestARecordOfAClosedHomeKeepsTakingCorrections:
    """The home rule is checked for a new record or a new home or start date, on every door: a
    placement that started before its home's recorded opening (legacy data) can still be ended."""

    @pytest.fixture
    def legacy_placement(self):
        home = CareHomeFactory(name="后登记之家", opened_on=dt.date(2020, 1, 1))
        return PlacementFactory(home=home, start_date=dt.date(2019, 5, 1))

    def test_page(self, client_for, clerk_user, legacy_placement):
        response = client_for(clerk_user).post(
            reverse("care_homes:placement_update", args=[legacy_placement.pk]),
            {
                "home": legacy_placement.home_id,
                "mode": "day_care",
                "start_date": "2019-05-01",
                "end_date": "2024-01-31",
            },
        )
        assert response.status_code == 302
        legacy_placement.refresh_from_db()
        assert legacy_placement.end_date == dt.date(2024, 1, 31)

    def test_page_refuses_a_new_start_date_before_the_opening(self, client_for, clerk_user, legacy_placement):
        response = client_for(clerk_user).post(
            reverse("care_homes:placement_update", args=[legacy_placement.pk]),
            {"home": legacy_placement.home_id, "mode": "day_care", "start_date": "2019-06-01"},
        )
        assert "开始日期早于该机构的启用日期（2020-01-01）" in response.content.decode()

    def test_api(self, client_for, clerk_user, legacy_placement):
        response = client_for(clerk_user).put(
            reverse("care_homes_api:placements-detail", args=[legacy_placement.pk]),
            {
                "person": legacy_placement.person_id,
                "home": legacy_placement.home_id,
                "mode": "day_care",
                "start_date": "2019-05-01",
                "end_date": "2024-01-31",
            },
            content_type="application/json",
        )
        assert response.status_code == 200, response.json()

    def test_import(self, clerk_user, legacy_placement):
        row = {
            "公民身份号码": legacy_placement.person.id_number,
            "托养机构": legacy_placement.home.name,
            "托养方式": "日间照料",
            "开始日期": "2019-05-01",
            "结束日期": "2024-01-31",
        }
        job = import_job_upload(
            acting_user=clerk_user,
            resource="care_placements",
            file_name="结束.xlsx",
            data=workbook_bytes([row]),
        )
        assert job.status == job.Status.READY, job.errors
        assert job.updated == 1
