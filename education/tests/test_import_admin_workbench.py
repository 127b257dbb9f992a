"""The import template, the admin and the workbench item of 教育助学."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from core import workbench
from education.models import EducationAid, HomeTeachingVisit
from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from imports.services import import_job_confirm, import_job_upload
from imports.tests.factories import workbook_bytes
from registry.tests.factories import PersonFactory, SurveyFactory, street
from tests.assertions import admin_adds_a_record_of_a_new_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_import_writes_aid_rows_with_history(clerk_user):
    person = PersonFactory()
    rows = [
        {
            "公民身份号码": person.id_number,
            "学段": "义务教育",
            "资助类型": "助学补贴",
            "日期": "2025-03-01",
            "金额": 800,
        },
        {"公民身份号码": person.id_number, "学段": "义务教育", "资助类型": "送教上门", "日期": "2025-09-01"},
    ]
    job = import_job_upload(
        acting_user=clerk_user, resource="education_aid", file_name="助学.xlsx", data=workbook_bytes(rows)
    )
    assert job.status == job.Status.READY, job.errors

    import_job_confirm(acting_user=clerk_user, job=job)

    aids = EducationAid.objects.order_by("aid_date")
    assert [(a.kind, a.amount) for a in aids] == [("grant", Decimal(800)), ("home_teaching", None)]
    assert aids[0].history.get().history_user == clerk_user


def test_import_of_another_streets_person_is_refused(clerk_user):
    person = PersonFactory(street=street("华侨路街道"))
    rows = [{"公民身份号码": person.id_number, "送教日期": "2025-03-01", "送教教师": "王老师"}]

    job = import_job_upload(
        acting_user=clerk_user, resource="home_teaching", file_name="送教.xlsx", data=workbook_bytes(rows)
    )

    assert job.status == job.Status.REJECTED and not HomeTeachingVisit.objects.exists()


def test_admin_adds_through_the_service_and_scopes_its_list(client_for, admin_user, clerk_user):
    data = {"stage": "university", "kind": "award", "aid_date": "2025-06-01", "amount": "2000"}
    admin_adds_a_record_of_a_new_person(client_for(admin_user), admin_user, EducationAid, data)

    other = EducationAidFactory(person__street=street("华侨路街道"))
    request = RequestFactory().get("/")
    request.user = clerk_user
    assert other not in site._registry[EducationAid].get_queryset(request)
    assert not site._registry[EducationAid].has_delete_permission(request)


def test_workbench_counts_the_gap_of_the_users_scope(client_for, clerk_user, official_user):
    for name, street_name in [("甲", "宁海路街道"), ("乙", "宁海路街道"), ("丙", "华侨路街道")]:
        person = PersonFactory(name=name, birth=dt.date(2016, 1, 1), street=street(street_name))
        SurveyFactory(person=person, year=2026, education="not_enrolled")

    entries = {e.key: e for e in workbench.entries_for(clerk_user, 2026)}

    assert entries["education_gap"].count == 2
    assert entries["education_gap"].url == reverse("education:gap_list") + "?year=2026"
    assert "education_gap" not in {e.key for e in workbench.entries_for(official_user, 2026)}


@pytest.mark.parametrize("name", ["education_aid", "home_teaching"])
def test_export_imports_back_unchanged(name):
    import io

    from imports.resources import ARCHIVED_RESOURCE_NAMES, get_resource_class
    from imports.services import run_import
    from sheets.exports import write_export

    EducationAidFactory(school="=南京市聋人学校")  # a formula-like cell is escaped and read back
    EducationAidFactory(kind="home_teaching", amount=None, aid_date=dt.date(2025, 9, 1))
    HomeTeachingVisitFactory()
    resource_cls = get_resource_class(name)
    output = io.BytesIO()
    count = write_export(resource_cls, resource_cls().export_queryset(), output)

    report = run_import(name, output.getvalue())

    assert name in ARCHIVED_RESOURCE_NAMES and count >= 1
    assert report.accepted, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, count)
