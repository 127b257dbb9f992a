"""The six new survey questions: optional in the import template, present in the export and the API."""

import pytest
from freezegun import freeze_time

from imports.resources import get_resource_class
from imports.services import run_import
from imports.tests.factories import SURVEY_ROW, read_workbook, workbook_bytes
from registry.models import Survey
from registry.tests.factories import PersonFactory, SurveyFactory
from sheets.exports import write_export

pytestmark = pytest.mark.django_db


def test_an_old_survey_file_imports_unchanged_and_the_new_answers_stay_empty():
    person = PersonFactory()
    row = {**SURVEY_ROW, "公民身份号码": person.id_number}
    report = run_import("surveys", workbook_bytes([row]))
    assert report.created == 1 and not report.errors and not report.warnings
    survey = Survey.objects.get()
    assert (survey.employment_status, survey.wants_work, survey.household_key) == ("", "", "")
    assert survey.multi_disabled_household is False and survey.elderly_carer_household is False
    # the same old file again: nothing changes, and answers given since are kept
    Survey.objects.filter(pk=survey.pk).update(employment_status="employed")
    again = run_import("surveys", workbook_bytes([row]))
    assert again.unchanged == 1
    assert Survey.objects.get().employment_status == "employed"


@freeze_time("2026-06-15")
def test_the_new_columns_import_and_export():
    person = PersonFactory()
    row = {
        **SURVEY_ROW,
        "公民身份号码": person.id_number,
        "调查年度": 2026,
        "就业状况": "未就业",
        "就业意愿": "有",
        "培训需求": "无",
        "户编号": "NH-0012",
        "一户多残": "是",
        "依老养残": "否",
    }
    report = run_import("surveys", workbook_bytes([row]))
    assert report.created == 1, report.errors
    survey = Survey.objects.get()
    assert (survey.employment_status, survey.wants_work, survey.wants_training) == ("unemployed", "yes", "no")
    assert (survey.household_key, survey.multi_disabled_household) == ("NH-0012", True)

    import io

    out = io.BytesIO()
    write_export(get_resource_class("surveys"), Survey.objects.all(), out)
    sheet = next(iter(read_workbook(out.getvalue()).values()))
    header, values = sheet[0], sheet[1]
    exported = dict(zip(header, values, strict=False))
    assert (
        exported["就业状况"] == "未就业" and exported["户编号"] == "NH-0012" and exported["一户多残"] == "是"
    )


def test_a_bad_new_answer_is_reported_in_chinese():
    person = PersonFactory()
    row = {**SURVEY_ROW, "公民身份号码": person.id_number, "就业状况": "打零工"}
    report = run_import("surveys", workbook_bytes([row]))
    assert report.errors and report.errors[0]["column"] == "就业状况"
    assert not Survey.objects.exists()


def test_the_api_reads_and_writes_the_new_answers(client_for, staff_user):
    survey = SurveyFactory(year=2023, household_key="H-1")
    client = client_for(staff_user)
    data = client.get(f"/api/registry/surveys/{survey.pk}/").json()
    assert data["household_key"] == "H-1" and data["employment_status"] == ""
    response = client.patch(
        f"/api/registry/surveys/{survey.pk}/",
        {"employment_status": "retired", "elderly_carer_household": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    survey.refresh_from_db()
    assert (survey.employment_status, survey.elderly_carer_household) == ("retired", True)


def test_the_registry_survey_page_shows_and_keeps_the_new_answers(client_for, staff_user):
    survey = SurveyFactory(
        year=2023, household_key="H-9", employment_status="retired", multi_disabled_household=True
    )
    client = client_for(staff_user)
    url = f"/registry/surveys/{survey.pk}/edit/"
    html = client.get(url).content.decode()
    assert 'name="household_key"' in html and 'name="employment_status"' in html
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["household_size"] = "2"
    response = client.post(url, {**data, "multi_disabled_household": "on"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.household_size, survey.household_key, survey.employment_status) == (2, "H-9", "retired")
    assert survey.multi_disabled_household is True
