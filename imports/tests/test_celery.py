"""Large files go through a real Celery worker consuming from Redis (conftest's celery_redis_worker)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from imports.tests.factories import person_row, persons_workbook
from registry.models import Person

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(job_id: int, status: str, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status == status:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} is {job.status}, not {status}")


def test_large_file_is_previewed_and_imported_by_the_worker(
    celery_redis_worker, client_for, staff_user, settings
):
    # given a file above the threshold, uploaded through the page
    settings.IMPORT_ASYNC_THRESHOLD_ROWS = 3
    client = client_for(staff_user)
    data = persons_workbook(*[person_row() for _ in range(6)])
    client.post(
        reverse("imports:upload"), {"resource": "persons", "file": SimpleUploadedFile("大文件.xlsx", data)}
    )
    job = ImportJob.objects.get()

    # when the worker has previewed it, the page shows the counts and nothing is written
    job = wait_for(job.pk, "ready")
    assert (job.created, job.progress) == (6, 100) and job.task_id
    assert not Person.objects.exists()

    # and when the staff member confirms, the worker imports it
    client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))
    job = wait_for(job.pk, "done")

    assert job.created == 6
    assert Person.objects.count() == 6
    assert Person.history.filter(history_user=staff_user).count() == 6
    progress = client.get(reverse("imports:progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true")
    assert progress["HX-Redirect"] == reverse("imports:result", kwargs={"pk": job.pk})


def test_worker_rejects_a_bad_large_file_and_writes_nothing(
    celery_redis_worker, client_for, clerk_user, settings
):
    settings.IMPORT_ASYNC_THRESHOLD_ROWS = 1
    client = client_for(clerk_user)
    data = persons_workbook(person_row(), person_row(所属街道="华侨路街道"))
    client.post(
        reverse("imports:upload"), {"resource": "persons", "file": SimpleUploadedFile("x.xlsx", data)}
    )

    job = wait_for(ImportJob.objects.get().pk, "rejected")

    assert job.errors == [{"row": 3, "column": "所属街道", "message": "无权操作其他街道的记录"}]
    assert not Person.objects.exists()


def test_progress_is_visible_to_other_connections_while_the_import_transaction_is_open(staff_user):
    from django.db import connections, transaction

    from imports.services import ProgressWriter
    from imports.tests.factories import ImportJobFactory

    job = ImportJobFactory(user=staff_user, status="importing")
    writer = ProgressWriter(job.pk)
    observer = connections.create_connection("default")
    try:
        with transaction.atomic():
            Person.objects.exists()  # the import's own transaction is open
            writer(250, 1000)
            with observer.cursor() as cursor:
                cursor.execute("SELECT progress FROM imports_importjob WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (25,)
    finally:
        writer.close()
        observer.close()


def test_the_importer_reports_progress_chunk_by_chunk():
    from imports.services import run_import

    calls = []
    run_import(
        "persons",
        persons_workbook(*[person_row() for _ in range(5)]),
        progress=lambda *a: calls.append(a),
        chunk_size=2,
    )

    assert calls == [(2, 5), (4, 5), (5, 5)]
