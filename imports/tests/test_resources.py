"""Every template: happy path, its own rules, scope, idempotence and the export -> import round trip."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from freezegun import freeze_time

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from cases.tests.factories import CaseFactory
from core.models import Street
from core.periods import today
from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from employment.models import Employment, Graduate, Training
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from imports.resources import ARCHIVED_RESOURCE_NAMES, get_resource_class
from imports.services import run_import
from imports.tests.factories import SURVEY_ROW, read_workbook, workbook_bytes
from legal_aid.tests.factories import AidCaseFactory, ConsultationFactory
from organisations.tests.factories import OrganisationFactory, VolunteerTeamFactory
from registry.models import Person, Survey
from registry.tests.factories import PersonFactory, SurveyFactory
from rehab.models import RehabService
from rehab.tests.factories import RehabServiceFactory
from sheets.exports import write_export
from subsidies.models import Grant
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


def errors_of(report):
    return [(e["row"], e["column"], e["message"]) for e in report.errors]


def assert_row_reported(resource: str, row: dict, *errors: tuple) -> None:
    """Importing `row` alone into `resource` reports exactly `errors` (row, column, message)."""
    assert errors_of(run_import(resource, workbook_bytes([row]))) == list(errors)


@pytest.fixture
def person():
    return PersonFactory()


@pytest.fixture
def other_street_person():
    return PersonFactory(street=Street.objects.get(name="华侨路街道"))


def import_twice(resource, rows, **kwargs):
    """Import, then import the same file again; return both reports."""
    data = workbook_bytes(rows)
    return run_import(resource, data, **kwargs), run_import(resource, data, **kwargs)


def test_surveys_are_created_and_then_unchanged(person):
    row = {**SURVEY_ROW, "公民身份号码": person.id_number}

    first, second = import_twice("surveys", [row])

    assert (first.created, second.unchanged) == (1, 1), first.errors
    survey = Survey.objects.get()
    assert survey.household_income == Decimal("45600.50")
    assert (survey.dibao_eligible, survey.needs_rehab, survey.needs_device, survey.needs_care) == (
        True,
        True,
        False,
        False,
    )
    assert survey.low_income_type == "dibao_edge" and survey.education == "na"


@freeze_time("2026-11-28")
def test_survey_year_and_household_size_out_of_range_are_reported(person):
    rows = [
        {"公民身份号码": person.id_number, "调查年度": 2027, "家庭人口数": 3},
        {"公民身份号码": person.id_number, "调查年度": 2024, "家庭人口数": 21},
    ]

    report = run_import("surveys", workbook_bytes(rows))

    assert errors_of(report) == [
        (2, "调查年度", "调查年度不能晚于今年（填写的是：2027）"),
        (3, "家庭人口数", "应在1到20之间（填写的是：21）"),
    ]


def test_record_of_a_person_not_in_the_registry_is_reported():
    from imports.tests.factories import new_id_number

    unknown = new_id_number()
    report = run_import(
        "subsidies",
        workbook_bytes([{"公民身份号码": unknown, "项目": "临时救助", "开始月份": "2023-05"}]),
    )

    assert errors_of(report) == [
        (
            2,
            "公民身份号码",
            f"登记中没有该公民身份号码的持证残疾人，请先导入持证残疾人（填写的是：{unknown}）",
        )
    ]


def test_grants_with_months_in_any_form(person):
    rows = [
        {
            "公民身份号码": person.id_number,
            "项目": "重度残疾人护理补贴",
            "开始月份": "2023/5",
            "结束月份": "",
            "月标准": 150,
        },
        {
            "公民身份号码": person.id_number,
            "项目": "困难残疾人生活补贴",
            "开始月份": "2023年1月",
            "结束月份": dt.date(2023, 12, 15),
            "月标准": "100",
        },
    ]

    first, second = import_twice("subsidies", rows)

    assert (first.created, second.unchanged) == (2, 2), first.errors
    nursing = Grant.objects.get(kind="nursing")
    assert (nursing.start_month, nursing.end_month, nursing.monthly_amount) == (
        dt.date(2023, 5, 1),
        None,
        Decimal("150.00"),
    )
    assert Grant.objects.get(kind="living").end_month == dt.date(2023, 12, 1)


def test_grant_ending_before_it_starts_is_reported(person):
    row = {
        "公民身份号码": person.id_number,
        "项目": "最低生活保障",
        "开始月份": "2023-05",
        "结束月份": "2023-04",
    }

    assert_row_reported("subsidies", row, (2, "结束月份", "结束月份不能早于开始月份（填写的是：2023-04）"))


@pytest.mark.parametrize(
    ("resource", "row", "column"),
    [
        ("subsidies", {"项目": "最低生活保障", "开始月份": "2023-05", "月标准": -5}, "月标准"),
        ("rehab", {"服务项目": "基本康复服务", "服务日期": "2024-03-06", "金额": -5}, "金额"),
    ],
)
def test_negative_amount_is_reported_in_its_row_and_column(person, resource, row, column):
    # the cell's own rule (MoneyWidget) refuses it with the message of the model's rule on the other doors
    row = {"公民身份号码": person.id_number, **row}

    assert_row_reported(resource, row, (2, column, "金额不能为负数（填写的是：-5）"))


def test_changed_grant_amount_is_an_update(person):
    row = {
        "公民身份号码": person.id_number,
        "项目": "重度残疾人护理补贴",
        "开始月份": "2023-05",
        "月标准": 150,
    }
    run_import("subsidies", workbook_bytes([row]))

    report = run_import("subsidies", workbook_bytes([{**row, "月标准": 180}]))

    assert (report.created, report.updated) == (0, 1)
    assert Grant.objects.get().monthly_amount == Decimal("180.00")


@freeze_time("2026-11-28")
def test_rehab_services_and_their_rules(person):
    rows = [
        {
            "公民身份号码": person.id_number,
            "服务项目": "辅助器具适配",
            "服务日期": "2024.3.5",
            "辅具名称": "轮椅",
            "金额": "1200",
        },
        {
            "公民身份号码": person.id_number,
            "服务项目": "基本康复服务",
            "服务日期": "2024-03-05",
            "服务机构": "鼓楼区康复中心",
        },
    ]
    first, second = import_twice("rehab", rows)
    assert (first.created, second.unchanged) == (2, 2), first.errors
    assert RehabService.objects.get(kind="device").device_name == "轮椅"

    bad = [
        {
            "公民身份号码": person.id_number,
            "服务项目": "辅助器具适配",
            "服务日期": "2024-03-06",
            "辅具名称": "",
        },
        {"公民身份号码": person.id_number, "服务项目": "基本康复服务", "服务日期": "2026-11-29"},
    ]
    report = run_import("rehab", workbook_bytes(bad))
    assert errors_of(report) == [
        (2, "辅具名称", "辅助器具适配必须填写辅具名称"),
        (3, "服务日期", f"日期不能晚于今天（{today():%Y-%m-%d}）（填写的是：2026-11-29）"),
    ]


def test_training_employment_and_graduates(person):
    training = {
        "公民身份号码": person.id_number,
        "培训项目": "电商培训",
        "培训类型": "就业技能培训",
        "开始日期": "2023-04-10",
        "结束日期": "2023-04-20",
        "是否结业": "是",
    }
    employment = {
        "公民身份号码": person.id_number,
        "就业形式": "灵活就业",
        "用人单位": "某公司",
        "开始日期": "2022/3/1",
    }
    graduate = {
        "公民身份号码": person.id_number,
        "毕业年份": "2023",
        "毕业院校": "南京特殊教育师范学院",
        "学历": "本科",
    }

    for resource, row, model in (
        ("training", training, Training),
        ("employment", employment, Employment),
        ("graduates", graduate, Graduate),
    ):
        first, second = import_twice(resource, [row])
        assert (first.created, second.unchanged) == (1, 1), (resource, first.errors)
        assert model.objects.get().person == person
    assert Training.objects.get().completed is True


def test_training_ending_before_it_starts_is_reported(person):
    row = {
        "公民身份号码": person.id_number,
        "培训项目": "电商培训",
        "培训类型": "创业培训",
        "开始日期": "2023-04-10",
        "结束日期": "2023-04-01",
    }

    assert_row_reported("training", row, (2, "结束日期", "结束日期不能早于开始日期（填写的是：2023-04-01）"))


def test_care_homes_placements_and_projects():
    home = {
        "机构名称": "宁海路街道残疾人之家",
        "机构级别": "街道级",
        "所属街道": "宁海路",
        "残疾人之家": "是",
        "评级": "3a",
        "启用日期": "2019-01-01",
        "停用日期": "",
    }
    first, second = import_twice("care_homes", [home])
    assert (first.created, second.unchanged) == (1, 1), first.errors
    assert CareHome.objects.get().rating == "3A"

    person = PersonFactory()
    placement = {
        "公民身份号码": person.id_number,
        "托养机构": "宁海路街道残疾人之家",
        "托养方式": "日间照料",
        "开始日期": "2023-01-01",
    }
    first, second = import_twice("care_placements", [placement])
    assert (first.created, second.unchanged) == (1, 1), first.errors
    assert Placement.objects.get().home.name == "宁海路街道残疾人之家"

    project = {
        "托养机构": "宁海路街道残疾人之家",
        "项目名称": "手工编织",
        "开始日期": "2021-03-01",
        "参与人数": 12,
    }
    first, second = import_twice("aux_projects", [project])
    assert (first.created, second.unchanged) == (1, 1), first.errors
    assert AuxProject.objects.get().participants == 12


def test_placement_in_an_unknown_home_is_reported(person):
    row = {
        "公民身份号码": person.id_number,
        "托养机构": "不存在的机构",
        "托养方式": "日间照料",
        "开始日期": "2023-01-01",
    }

    assert_row_reported(
        "care_placements", row, (2, "托养机构", "托养机构不存在，请先导入托养机构（填写的是：不存在的机构）")
    )


def test_care_home_closed_before_it_opened_is_reported():
    row = {
        "机构名称": "某机构",
        "机构级别": "区级",
        "所属街道": "宁海路街道",
        "启用日期": "2020-01-01",
        "停用日期": "2019-01-01",
    }

    assert_row_reported(
        "care_homes", row, (2, "停用日期", "停用日期不能早于启用日期（填写的是：2019-01-01）")
    )


def test_negative_participants_are_reported():
    CareHomeFactory(name="某之家")
    row = {"托养机构": "某之家", "项目名称": "编织", "开始日期": "2021-03-01", "参与人数": -1}

    assert_row_reported("aux_projects", row, (2, "参与人数", "不能小于0（填写的是：-1）"))


class TestClerkScope:
    def test_record_of_a_person_of_another_street_is_rejected(self, clerk_user, person, other_street_person):
        rows = [
            {"公民身份号码": person.id_number, "项目": "临时救助", "开始月份": "2023-05", "月标准": 500},
            {
                "公民身份号码": other_street_person.id_number,
                "项目": "临时救助",
                "开始月份": "2023-05",
                "月标准": 500,
            },
        ]

        report = run_import("subsidies", workbook_bytes(rows), user=clerk_user)

        assert errors_of(report) == [(3, "公民身份号码", "无权操作其他街道的记录")]
        assert not Grant.objects.exists()

    def test_care_home_of_another_street_is_rejected(self, clerk_user):
        row = {
            "机构名称": "华侨路之家",
            "机构级别": "街道级",
            "所属街道": "华侨路街道",
            "启用日期": "2019-01-01",
        }

        report = run_import("care_homes", workbook_bytes([row]), user=clerk_user)

        assert errors_of(report) == [(2, "所属街道", "无权操作其他街道的记录")]

    def test_project_of_a_home_of_another_street_is_rejected(self, clerk_user):
        CareHomeFactory(name="华侨路之家", street=Street.objects.get(name="华侨路街道"))
        row = {"托养机构": "华侨路之家", "项目名称": "编织", "开始日期": "2021-03-01"}

        report = run_import("aux_projects", workbook_bytes([row]), user=clerk_user)

        assert errors_of(report) == [(2, "托养机构", "无权操作其他街道的记录")]

    def test_placement_of_his_person_in_a_district_home_elsewhere_is_allowed(self, clerk_user, person):
        CareHomeFactory(name="区托养中心", street=Street.objects.get(name="华侨路街道"), level="district")
        row = {
            "公民身份号码": person.id_number,
            "托养机构": "区托养中心",
            "托养方式": "寄宿托养",
            "开始日期": "2023-01-01",
        }

        report = run_import("care_placements", workbook_bytes([row]), user=clerk_user)

        assert report.accepted, report.errors


@pytest.fixture
def one_of_everything():
    """Records of all ten resources, with the values exports must carry back exactly."""
    person = PersonFactory(address='=HYPERLINK("http://x")', phone="025-83123456", name="-张三")
    PersonFactory(status="moved_out", status_changed_on=dt.date(2024, 3, 1), community=None)
    SurveyFactory(person=person, household_income=Decimal("12345.60"), needs_rehab=True, education="special")
    GrantFactory(person=person, monthly_amount=Decimal("150.50"))
    GrantFactory(
        person=person,
        kind="temporary_aid",
        start_month=dt.date(2022, 7, 1),
        end_month=dt.date(2022, 7, 1),
        monthly_amount=Decimal("800"),
    )
    RehabServiceFactory(person=person, kind="device", device_name="@轮椅", amount=Decimal("999.99"))
    TrainingFactory(person=person)
    EmploymentFactory(person=person, employer="+某公司")
    GraduateFactory(person=person)
    placement = PlacementFactory(person=person)
    AuxProjectFactory(home=placement.home, participants=None)
    # the templates of issue 15
    CaseFactory(person=person, street=person.street)
    ConsultationFactory(person=person, street=person.street)
    AidCaseFactory(person=person, amount_recovered=Decimal("3000.50"))
    OrganisationFactory(name="-某助残协会")
    VolunteerTeamFactory()
    EducationAidFactory(person=person, amount=Decimal("1200.00"))
    HomeTeachingVisitFactory(person=person)


def test_every_export_imports_back_unchanged(one_of_everything):
    for name in ARCHIVED_RESOURCE_NAMES:
        resource_cls = get_resource_class(name)
        output = io.BytesIO()
        count = write_export(resource_cls, resource_cls().export_queryset(), output)

        report = run_import(name, output.getvalue())

        assert report.accepted, (name, report.errors)
        assert (report.created, report.updated, report.unchanged) == (0, 0, count), name
        assert count >= 1, name


def test_exported_cells_starting_like_a_formula_are_escaped(one_of_everything):
    resource_cls = get_resource_class("persons")
    output = io.BytesIO()
    write_export(resource_cls, Person.objects.all(), output)

    sheets = read_workbook(output.getvalue())

    rows = sheets["持证残疾人"]
    assert rows[0][:2] == ("姓名", "公民身份号码")
    values = {cell for row in rows[1:] for cell in row if isinstance(cell, str)}
    assert '\'=HYPERLINK("http://x")' in values and "'-张三" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    assert "填写说明" in sheets


def test_export_carries_dates_as_dates_and_months_as_text(one_of_everything):
    output = io.BytesIO()
    write_export(get_resource_class("subsidies"), Grant.objects.order_by("start_month"), output)

    rows = read_workbook(output.getvalue())["补贴与救助"]

    assert rows[0] == ("公民身份号码", "项目", "开始月份", "结束月份", "月标准")
    assert rows[1][1:] == ("重度残疾人护理补贴", "2021-01", None, 150.5)
    assert rows[2][1:] == ("临时救助", "2022-07", "2022-07", 800)
