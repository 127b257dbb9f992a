"""The clerk's import page: upload -> preview -> confirm -> result, templates, exports, the log."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Street
from imports.models import ImportJob
from imports.resources import RESOURCE_NAMES
from imports.tests.factories import (
    PERSON_HEADERS,
    ImportJobFactory,
    person_row,
    persons_workbook,
    read_workbook,
)
from registry.models import AccessLog, Person
from registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def upload(client, data, resource="persons", name="持证残疾人.xlsx"):
    return client.post(
        reverse("imports:upload"), {"resource": resource, "file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_index_offers_every_template_and_the_upload_form(
    client_for, clerk_user, django_assert_max_num_queries
):
    client = client_for(clerk_user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:index"))

    html = response.content.decode()
    assert response.status_code == 200
    # every template: the ten, 残疾人证申请 and those of issue 15
    assert html.count(reverse("imports:template") + "?resource=") == len(RESOURCE_NAMES) >= 11
    assert "宁海路街道" in html


def test_upload_previews_without_writing_then_confirm_imports(client_for, clerk_user):
    client = client_for(clerk_user)

    # given a valid file uploaded: the preview counts, nothing is written yet
    response = upload(client, persons_workbook(person_row(), person_row()))
    job = ImportJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("imports:preview", kwargs={"pk": job.pk})
    assert (job.status, job.created, job.user, job.street.name) == ("ready", 2, clerk_user, "宁海路街道")
    assert "确认导入" in response.content.decode()
    assert not Person.objects.exists()

    # when the clerk confirms
    response = client.post(reverse("imports:confirm", kwargs={"pk": job.pk}), follow=True)

    # then the persons are written by him and the result page shows the counts
    job.refresh_from_db()
    assert (job.status, job.created, job.confirmed_by) == ("done", 2, clerk_user)
    assert job.file_data in (b"", memoryview(b"")) or bytes(job.file_data) == b""
    assert Person.objects.count() == 2
    assert Person.history.filter(history_user=clerk_user).count() == 2
    assert response.redirect_chain[-1][0] == reverse("imports:result", kwargs={"pk": job.pk})
    assert 'data-testid="count-created">2<' in response.content.decode()


def test_file_with_errors_shows_each_error_and_cannot_be_confirmed(client_for, clerk_user):
    client = client_for(clerk_user)

    response = upload(client, persons_workbook(person_row(), person_row(所属街道="华侨路街道")))

    job = ImportJob.objects.get()
    html = response.content.decode()
    assert job.status == "rejected"
    assert "第3行" in html and "所属街道" in html and "无权操作其他街道的记录" in html
    assert "确认导入" not in html
    assert client.post(reverse("imports:confirm", kwargs={"pk": job.pk}), follow=True).status_code == 200
    job.refresh_from_db()
    assert job.status == "rejected" and not Person.objects.exists()


def test_a_job_is_imported_once_even_if_confirmed_twice(client_for, staff_user):
    client = client_for(staff_user)
    upload(client, persons_workbook(person_row()))
    job = ImportJob.objects.get()
    url = reverse("imports:confirm", kwargs={"pk": job.pk})

    client.post(url)
    response = client.post(url, follow=True)

    assert "不能再次确认" in response.content.decode()
    assert Person.objects.count() == 1 and Person.history.count() == 1


def test_bad_file_upload_is_a_rejected_job_with_one_message(client_for, clerk_user):
    response = upload(client_for(clerk_user), b"PK\x03\x04 broken zip")

    job = ImportJob.objects.get()
    assert job.status == "rejected" and len(job.errors) == 1
    assert "已损坏" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_upload_over_the_size_limit_is_refused_by_the_form(client_for, clerk_user, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100

    response = upload(client_for(clerk_user), persons_workbook(person_row()))

    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_without_resource_shows_the_form_again(client_for, clerk_user):
    response = upload(client_for(clerk_user), persons_workbook(person_row()), resource="")

    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_internal_error_is_a_failed_job_without_a_traceback(client_for, staff_user, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("imports.services.run_import", explode)

    response = upload(client_for(staff_user), persons_workbook(person_row()))

    job = ImportJob.objects.get()
    assert job.status == "rejected"
    assert "系统错误" in response.content.decode() and "boom" not in response.content.decode()


def test_preview_page_runs_a_bounded_number_of_queries(client_for, clerk_user, django_assert_max_num_queries):
    client = client_for(clerk_user)
    upload(client, persons_workbook(*[person_row(所属街道="华侨路街道") for _ in range(50)]))
    job = ImportJob.objects.get()

    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:preview", kwargs={"pk": job.pk}))

    assert response.content.decode().count("无权操作其他街道的记录") == 50


def test_job_list_shows_a_clerk_only_his_streets_jobs(client_for, clerk_user, other_clerk_user, staff_user):
    ImportJobFactory(user=clerk_user, street=clerk_user.portal_profile.street, file_name="本街道.xlsx")
    ImportJobFactory(
        user=other_clerk_user, street=other_clerk_user.portal_profile.street, file_name="别的街道.xlsx"
    )
    ImportJobFactory(user=staff_user, street=None, file_name="区残联.xlsx")

    clerk_page = client_for(clerk_user).get(reverse("imports:job_list")).content.decode()
    staff_page = client_for(staff_user).get(reverse("imports:job_list")).content.decode()

    assert (
        "本街道.xlsx" in clerk_page and "别的街道.xlsx" not in clerk_page and "区残联.xlsx" not in clerk_page
    )
    assert all(name in staff_page for name in ("本街道.xlsx", "别的街道.xlsx", "区残联.xlsx"))


def test_job_list_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(30):
        ImportJobFactory(user=staff_user)
    client = client_for(staff_user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:job_list"))

    assert response.status_code == 200


def test_job_of_another_streets_clerk_answers_404(client_for, clerk_user, other_clerk_user):
    job = ImportJobFactory(user=other_clerk_user, street=other_clerk_user.portal_profile.street)
    client = client_for(clerk_user)

    for name in ("preview", "result", "progress"):
        assert client.get(reverse(f"imports:{name}", kwargs={"pk": job.pk})).status_code == 404
    assert client.post(reverse("imports:confirm", kwargs={"pk": job.pk})).status_code == 404


def test_progress_of_a_running_job_polls_and_a_finished_one_redirects(client_for, staff_user):
    client = client_for(staff_user)
    running = ImportJobFactory(user=staff_user, status="importing", progress=40, row_count=9000)
    finished = ImportJobFactory(user=staff_user, status="done")

    poll = client.get(reverse("imports:progress", kwargs={"pk": running.pk}), HTTP_HX_REQUEST="true")
    done = client.get(reverse("imports:progress", kwargs={"pk": finished.pk}), HTTP_HX_REQUEST="true")

    assert 'value="40"' in poll.content.decode() and "hx-trigger" in poll.content.decode()
    assert done.status_code == 204
    assert done["HX-Redirect"] == reverse("imports:preview", kwargs={"pk": finished.pk})


def test_blank_template_has_the_headers_and_the_instructions_sheet(client_for, clerk_user):
    response = client_for(clerk_user).get(reverse("imports:template") + "?resource=persons")

    sheets = read_workbook(response.content)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert list(sheets) == ["持证残疾人", "填写说明"]
    assert sheets["持证残疾人"][0] == (*PERSON_HEADERS, "开户银行", "银行账号")
    instructions = {row[0]: row for row in sheets["填写说明"] if row and row[0]}
    assert instructions["残疾类别"][1] == "必填"
    assert "视力" in instructions["残疾类别"][3]
    assert instructions["状态变更日期"][1] == "人员状态不是“正常”时必填"
    assert instructions["居住地址"][1] == "选填"
    assert instructions["银行账号"][1] == "选填"


@pytest.mark.parametrize(
    "resource",
    [
        "surveys",
        "subsidies",
        "rehab",
        "training",
        "employment",
        "graduates",
        "care_homes",
        "care_placements",
        "aux_projects",
    ],
)
def test_every_blank_template_downloads(client_for, staff_user, resource):
    response = client_for(staff_user).get(reverse("imports:template") + f"?resource={resource}")

    assert response.status_code == 200
    assert "填写说明" in read_workbook(response.content)


def test_unknown_template_is_404(client_for, staff_user):
    assert client_for(staff_user).get(reverse("imports:template") + "?resource=x").status_code == 404


def test_clerk_export_contains_only_his_street_and_is_logged(
    client_for, clerk_user, django_assert_max_num_queries
):
    mine = PersonFactory(name="本街道的人")
    PersonFactory(name="别的街道的人", street=Street.objects.get(name="华侨路街道"))
    client = client_for(clerk_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("imports:export") + "?resource=persons")

    content = b"".join(response.streaming_content)
    rows = read_workbook(content)["持证残疾人"]
    assert [row[0] for row in rows[1:]] == ["本街道的人"]
    assert rows[1][1] == mine.id_number
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.row_count) == (clerk_user, "export", "persons", 1)


def test_export_applies_the_list_pages_filters(client_for, staff_user):
    PersonFactory(name="宁海路的人")
    PersonFactory(name="华侨路的人", street=Street.objects.get(name="华侨路街道"))
    street = Street.objects.get(name="华侨路街道")

    response = client_for(staff_user).get(reverse("imports:export") + f"?resource=persons&street={street.pk}")

    names = [row[0] for row in read_workbook(b"".join(response.streaming_content))["持证残疾人"][1:]]
    assert names == ["华侨路的人"]


def test_export_of_a_resource_without_a_filterset_exports_every_scoped_row(
    client_for, clerk_user, monkeypatch
):
    from registry.resources import PersonResource

    monkeypatch.setattr(PersonResource, "filterset_class", None)
    PersonFactory(name="宁海路的人")
    PersonFactory(name="华侨路的人", street=Street.objects.get(name="华侨路街道"))

    response = client_for(clerk_user).get(reverse("imports:export") + "?resource=persons&category=4")

    names = [row[0] for row in read_workbook(b"".join(response.streaming_content))["持证残疾人"][1:]]
    assert names == ["宁海路的人"]


def test_export_with_a_filter_the_list_refuses_is_a_bad_request_not_an_unfiltered_list(
    client_for, staff_user
):
    PersonFactory(name="宁海路的人")

    response = client_for(staff_user).get(reverse("imports:export") + "?resource=persons&street=不是街道")

    assert response.status_code == 400
    assert response.content.decode().startswith("导出条件有误：")
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    ("resource", "factory_path"),
    [
        ("surveys", "registry.tests.factories.SurveyFactory"),
        ("subsidies", "subsidies.tests.factories.GrantFactory"),
        ("rehab", "rehab.tests.factories.RehabServiceFactory"),
        ("training", "employment.tests.factories.TrainingFactory"),
        ("employment", "employment.tests.factories.EmploymentFactory"),
        ("graduates", "employment.tests.factories.GraduateFactory"),
        ("care_placements", "care_homes.tests.factories.PlacementFactory"),
    ],
)
def test_clerk_export_of_person_records_holds_only_his_streets(
    client_for, clerk_user, resource, factory_path
):
    from django.utils.module_loading import import_string

    factory = import_string(factory_path)
    mine = factory(person=PersonFactory())
    factory(person=PersonFactory(street=Street.objects.get(name="华侨路街道")))

    response = client_for(clerk_user).get(reverse("imports:export") + f"?resource={resource}")

    sheet = next(iter(read_workbook(b"".join(response.streaming_content)).values()))
    assert [row[0] for row in sheet[1:]] == [mine.person.id_number]


def test_clerk_export_of_care_homes_and_projects_holds_only_his_streets(client_for, clerk_user):
    from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory

    mine = CareHomeFactory(name="宁海路之家")
    other = CareHomeFactory(name="华侨路之家", street=Street.objects.get(name="华侨路街道"))
    AuxProjectFactory(home=mine, name="本街道项目")
    AuxProjectFactory(home=other, name="别的项目")
    client = client_for(clerk_user)

    homes = read_workbook(
        b"".join(client.get(reverse("imports:export") + "?resource=care_homes").streaming_content)
    )
    projects = read_workbook(
        b"".join(client.get(reverse("imports:export") + "?resource=aux_projects").streaming_content)
    )

    assert [row[0] for row in homes["托养机构"][1:]] == ["宁海路之家"]
    assert [row[1] for row in projects["辅助性就业项目"][1:]] == ["本街道项目"]


def test_exported_file_imports_back_unchanged_through_the_page(client_for, clerk_user):
    PersonFactory.create_batch(3)
    client = client_for(clerk_user)
    exported = b"".join(client.get(reverse("imports:export") + "?resource=persons").streaming_content)

    upload(client, exported)

    job = ImportJob.objects.get()
    assert (job.status, job.created, job.updated, job.unchanged) == ("ready", 0, 0, 3)


def test_large_file_is_previewed_and_imported_by_the_task_eagerly(
    client_for, staff_user, settings, django_capture_on_commit_callbacks
):
    # given the eager Celery of the quick start and a file above the threshold
    settings.IMPORT_ASYNC_THRESHOLD_ROWS = 2
    client = client_for(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, persons_workbook(person_row(), person_row(), person_row()))
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.progress) == ("ready", 3, 100)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))

    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 3)
    assert job.task_id
    assert Person.objects.count() == 3


def test_previews_never_confirmed_leave_the_log_after_the_ttl_and_are_deleted(
    staff_user, client_for, settings
):
    import datetime as dt

    from django.utils import timezone

    from imports.services import import_jobs_purge_stale

    settings.IMPORT_PREVIEW_TTL_HOURS = 24
    old = ImportJobFactory(user=staff_user, file_data=b"data", file_name="old.xlsx")
    rejected = ImportJobFactory(user=staff_user, status=ImportJob.Status.REJECTED, file_name="bad.xlsx")
    done = ImportJobFactory(user=staff_user, status=ImportJob.Status.DONE, file_name="done.xlsx")
    ImportJob.objects.filter(pk__in=[old.pk, rejected.pk, done.pk]).update(
        uploaded_at=timezone.now() - dt.timedelta(hours=25)
    )
    fresh = ImportJobFactory(user=staff_user, file_data=b"data", file_name="fresh.xlsx")

    log = client_for(staff_user).get(reverse("imports:job_list")).content.decode()
    assert "old.xlsx" not in log and "bad.xlsx" not in log
    assert "done.xlsx" in log and "fresh.xlsx" in log

    assert import_jobs_purge_stale() == 2

    assert set(ImportJob.objects.values_list("pk", flat=True)) == {done.pk, fresh.pk}
    fresh.refresh_from_db()
    assert (fresh.status, bytes(fresh.file_data)) == ("ready", b"data")


def test_export_xlsx_opens_with_openpyxl_streaming(client_for, staff_user):
    PersonFactory.create_batch(5)

    response = client_for(staff_user).get(reverse("imports:export") + "?resource=persons")

    assert "attachment" in response["Content-Disposition"]
    assert len(read_workbook(io.BytesIO(b"".join(response.streaming_content)).getvalue())["持证残疾人"]) == 6


def test_stale_upload_purge_is_scheduled_every_night(settings):
    from imports.tasks import purge_stale_uploads

    entry = settings.CELERY_BEAT_SCHEDULE["purge-stale-import-uploads"]

    assert entry["task"] == purge_stale_uploads.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})


def test_large_file_with_the_task_queue_down_is_a_clear_refusal(
    client_for, staff_user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis unreachable")

    settings.IMPORT_ASYNC_THRESHOLD_ROWS = 1
    monkeypatch.setattr("imports.tasks.run_import_job.delay", broker_down)

    client = client_for(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, persons_workbook(person_row(), person_row()))

    job = ImportJob.objects.get()
    page = client.get(reverse("imports:preview", kwargs={"pk": job.pk})).content.decode()
    assert job.status == "rejected" and "后台任务服务暂时不可用" in page


def test_preview_lists_rows_to_add_update_with_old_and_new_values_and_leave_unchanged(client_for, staff_user):
    changed = PersonFactory(name="王更新", address="原地址", phone="13900000000")
    same = PersonFactory(name="李不变", address="鼓楼区中山路1号", phone="13912345678")
    rows = [
        person_row(公民身份号码=changed.id_number, 姓名="王更新", 居住地址="新地址", 联系电话="13911111111"),
        person_row(
            公民身份号码=same.id_number,
            姓名="李不变",
            残疾类别=same.get_category_display(),
            残疾等级=same.get_grade_display(),
            发证日期=same.issued_on,
            所属街道=same.street.name,
        ),
        person_row(姓名="赵新增"),
    ]
    client = client_for(staff_user)
    upload(client, persons_workbook(*rows))
    job = ImportJob.objects.latest("pk")

    html = client.get(reverse("imports:preview", kwargs={"pk": job.pk})).content.decode()

    assert (job.created, job.updated, job.unchanged) == (1, 1, 1), job.plan
    assert [item["changes"] for item in job.plan["updated"]] == [
        [
            {"column": "居住地址", "old": "原地址", "new": "新地址"},
            {"column": "联系电话", "old": "13900000000", "new": "13911111111"},
        ]
    ]
    assert "居住地址：<del>原地址</del> → <strong>新地址</strong>" in html
    assert "将新增 1 条" in html and "赵新增" in html
    assert "不变 1 条" in html and "李不变" in html


def test_opening_a_jobs_preview_or_result_logs_the_read_of_the_records_it_lists(client_for, staff_user):
    # given a preview that lists a stored person's old values beside the file's
    changed = PersonFactory(name="王更新", address="原地址")
    client = client_for(staff_user)
    upload(client, persons_workbook(person_row(公民身份号码=changed.id_number, 姓名="王更新"), person_row()))
    job = ImportJob.objects.latest("pk")
    before = AccessLog.objects.count()
    # when the preview is opened again
    assert client.get(reverse("imports:preview", kwargs={"pk": job.pk})).status_code == 200
    # then one access-log row names the job and counts the records listed
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.latest("pk")
    assert (log.user, log.action, log.object_type, log.object_id, log.row_count) == (
        staff_user,
        AccessLog.Action.VIEW,
        "importjob",
        job.pk,
        2,
    )
    assert "导入预览" in log.detail and job.file_name in log.detail
