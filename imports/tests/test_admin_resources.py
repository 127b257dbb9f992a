"""The same resources drive django-import-export's own row-by-row import and export (the admin)."""

import datetime as dt

import pytest
import tablib

from care_homes.resources import CareHomeResource
from imports.tests.factories import PERSON_HEADERS, person_row
from registry.models import Person
from registry.resources import PersonResource
from registry.tests.factories import PersonFactory
from subsidies.models import Grant
from subsidies.resources import GrantResource

pytestmark = pytest.mark.django_db


def dataset(headers, *rows):
    return tablib.Dataset(*[[row.get(h) for h in headers] for row in rows], headers=headers)


def test_admin_import_of_persons_creates_them_with_history_user(staff_user):
    rows = [person_row(所属社区="新社区", 残疾类别="1", 残疾等级="1级"), person_row(发证日期="2016/5/6")]

    result = PersonResource().import_data(dataset(PERSON_HEADERS, *rows), dry_run=False, user=staff_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Person.objects.count() == 2
    person = Person.objects.get(id_number=rows[0]["公民身份号码"])
    assert (person.category, person.grade, person.community.name) == ("1", "1", "新社区")
    assert person.certificate_number == f"{person.id_number}11"
    assert person.history.get().history_user == staff_user


def test_admin_import_rejects_a_clerks_row_of_another_street(clerk_user):
    rows = [person_row(), person_row(所属街道="华侨路街道")]

    result = PersonResource().import_data(dataset(PERSON_HEADERS, *rows), dry_run=False, user=clerk_user)

    assert result.has_validation_errors()
    assert "无权操作其他街道的记录" in str(result.invalid_rows[0].error_dict)
    assert not Person.objects.exists()


def test_admin_import_reports_bad_cells_in_chinese(staff_user):
    result = PersonResource().import_data(
        dataset(PERSON_HEADERS, person_row(公民身份号码="3.20102198001011234E+17")),
        dry_run=True,
        user=staff_user,
    )

    messages = [str(error.error) for _, errors in result.row_errors() for error in errors]
    assert result.has_errors() and any("精度已丢失" in message for message in messages)


def test_admin_import_of_grants_finds_the_person_by_id_number(staff_user):
    person = PersonFactory()
    headers = ["公民身份号码", "项目", "开始月份", "结束月份", "月标准"]
    row = {
        "公民身份号码": person.id_number,
        "项目": "重度残疾人护理补贴",
        "开始月份": "2023-05",
        "月标准": "150",
    }

    first = GrantResource().import_data(dataset(headers, row), dry_run=False, user=staff_user)
    second = GrantResource().import_data(dataset(headers, row), dry_run=False, user=staff_user)

    assert not first.has_validation_errors() and not first.has_errors()
    assert Grant.objects.get().start_month == dt.date(2023, 5, 1)
    assert second.totals["skip"] == 1, "unchanged rows are skipped"


def test_admin_export_uses_the_template_headers_and_labels():
    PersonFactory(category="5", grade="3")

    exported = PersonResource().export(Person.objects.all())

    # the spec's columns, then the two optional bank columns (exported masked)
    assert exported.headers == [*PERSON_HEADERS, "开户银行", "银行账号"]
    assert exported.dict[0]["残疾类别"] == "智力" and exported.dict[0]["残疾等级"] == "三级"
    assert exported.dict[0]["所属街道"] == "宁海路街道"


def test_admin_care_home_resource_round_trips():
    headers = ["机构名称", "机构级别", "所属街道", "残疾人之家", "评级", "启用日期", "停用日期"]
    row = {
        "机构名称": "某之家",
        "机构级别": "街道级",
        "所属街道": "宁海路",
        "残疾人之家": "是",
        "启用日期": "2019-01-01",
    }
    CareHomeResource().import_data(dataset(headers, row), dry_run=False)

    exported = CareHomeResource().export()

    assert exported.dict[0]["残疾人之家"] == "是" and exported.dict[0]["所属街道"] == "宁海路街道"


def test_admin_mixin_offers_the_template_in_xlsx_only(rf, admin_user):
    from django.contrib import admin

    from sheets.admin import PortalImportExportMixin

    class PersonAdmin(PortalImportExportMixin, admin.ModelAdmin):
        resource_classes = [PersonResource]

    model_admin = PersonAdmin(Person, admin.AdminSite())
    request = rf.get("/")
    request.user = admin_user

    from sheets.admin import PortalImportExportMixin

    assert model_admin.get_import_resource_classes(request) == [PersonResource]


def test_import_log_admin_is_read_only_and_scoped(rf, clerk_user, other_clerk_user):
    from django.contrib import admin

    from imports.admin import ImportJobAdmin
    from imports.models import ImportJob
    from imports.tests.factories import ImportJobFactory

    mine = ImportJobFactory(user=clerk_user, street=clerk_user.portal_profile.street)
    ImportJobFactory(user=other_clerk_user, street=other_clerk_user.portal_profile.street)
    model_admin = ImportJobAdmin(ImportJob, admin.AdminSite())
    request = rf.get("/")
    request.user = clerk_user

    assert list(model_admin.get_queryset(request)) == [mine]
    assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)
