"""Hostile workbooks are refused by the guard, on every door, before any parser reads a sheet.

The files are generated here (imports/tests/hostile.py), tiny on disk. A parser that reached one of
them would abort the whole process (python-calamine allocating 512 GiB for XFD1048576), which no
test could catch: so each file is first opened in a child process, with its memory capped, and a
door is tried in-process only with files the guard refused there.
"""

import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from imports.models import ImportJob
from imports.services import run_import
from imports.tests.factories import ImportJobFactory, person_row, persons_workbook
from registry.models import Person
from sheets import excel, guard
from sheets.tests import hostile

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = "工作表超过 100 列"
ROWS = "工作表超过 200000 行数据"
UNPACKED = "工作簿解压后超过 200 MB"
RATIO = "工作簿的压缩比超过 100 倍"
CORRUPT = "已损坏"
CHILD_MEMORY = 1536 * 1024 * 1024

OPEN_IN_CHILD = """
import json, sys
import django
django.setup()
from sheets import excel
data = sys.stdin.buffer.read()
try:
    excel.open_sheet(data).close()
    print(json.dumps({"opened": True}))
except excel.BadFile as exc:
    print(json.dumps({"message": exc.message}, ensure_ascii=False))
"""


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


def run_in_child(args: list[str], **options) -> subprocess.CompletedProcess:
    """Python with `args` in a child process, memory capped, on the test database."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        cwd=ROOT,
        env=child_env(),
        preexec_fn=_cap_memory,
        timeout=300,
        check=False,
        **options,
    )


def open_in_child(data: bytes) -> dict:
    """open_sheet in a child process (memory capped): a file that kills a parser kills only it."""
    done = run_in_child(["-c", OPEN_IN_CHILD], input=data)
    assert done.returncode == 0, f"the child died (exit {done.returncode}): {done.stderr.decode()[-2000:]}"
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def refused_in_child(data: bytes, expected: str) -> bytes:
    """The file, once a child process has shown that the guard refuses it with `expected`."""
    outcome = open_in_child(data)
    assert expected in outcome.get("message", ""), outcome
    return data


HOSTILE = {
    "corner_cell": (hostile.corner_cell, ROWS),
    "last_row": (hostile.last_row, ROWS),
    "last_column": (hostile.last_column, COLUMNS),
    "padded_reference": (hostile.padded_reference, CORRUPT),
    "lying_dimension": (hostile.lying_dimension, ROWS),
    "shared_string_bomb": (hostile.shared_string_bomb, UNPACKED),
    "part_bigger_than_declared": (hostile.part_bigger_than_declared, CORRUPT),
    "too_many_parts": (lambda: hostile.too_many_parts(1001), "工作簿内部的文件超过 1000 个"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_guard_refuses_hostile_file_in_a_child_process_that_survives(name):
    build, expected = HOSTILE[name]
    data = build()

    outcome = open_in_child(data)

    assert len(data) < 200_000
    assert expected in outcome["message"]


def test_decompression_bomb_with_a_lying_header_is_refused_at_the_unpacked_limit(tmp_path):
    # given 2 MB that inflate to about 2 GB, whose headers declare 1 KB
    path = tmp_path / "bomb.xlsx"
    unpacked = hostile.repeated_bomb(path, compressed_bytes=2 * 1024 * 1024)
    assert unpacked > 1024**3

    assert UNPACKED in open_in_child(path.read_bytes())["message"]


def test_decompression_bomb_with_an_honest_header_is_refused_by_its_ratio(tmp_path):
    path = tmp_path / "bomb.xlsx"
    hostile.repeated_bomb(path, compressed_bytes=100_000, declared=None)

    assert RATIO in open_in_child(path.read_bytes())["message"]


def test_the_issues_bomb_of_numeric_cells_is_refused_by_its_ratio(tmp_path):
    # the issue's rows of 1,000 numeric cells, 4,000 of its 40,000 (60 MB of XML in 120 KB;
    # benchmarks/hostile_files.py builds the whole 600 MB), written streaming, honest headers
    path = tmp_path / "bomb.xlsx"
    hostile.decompression_bomb(path, rows=4_000, columns=1_000)

    assert RATIO in open_in_child(path.read_bytes())["message"]


def test_wide_rows_are_refused_at_the_first_one_even_when_the_ratio_is_ordinary():
    rows = "".join(chunk.decode() for chunk in hostile.bomb_rows(3, 1_000, references=True))
    data = hostile.package(rows)

    assert COLUMNS in open_in_child(data)["message"]


def test_a_dimension_claiming_the_whole_grid_is_ignored_and_the_file_imports():
    data = hostile.overstated_dimension(persons_workbook(person_row()))
    assert open_in_child(data) == {"opened": True}

    report = run_import("persons", data)

    assert report.accepted and report.created == 1


def test_real_workbooks_pass_the_guard_well_below_its_limits():
    from imports.resources import RESOURCE_NAMES, get_resource_class

    for name in RESOURCE_NAMES:
        guard.check_workbook(excel.build_template(get_resource_class(name)))
    data = persons_workbook(*[person_row() for _ in range(2000)])

    extent = guard.check_workbook(data)

    assert (extent.max_row, extent.max_column) == (2001, 12)


# ---------------------------------------------------------------- every door


@pytest.fixture(scope="module")
def corner_file():
    return refused_in_child(hostile.corner_cell(), ROWS)


def test_open_sheet_refuses_the_corner_cell(corner_file):
    with pytest.raises(excel.BadFile) as refused:
        excel.open_sheet(corner_file)

    assert ROWS in refused.value.message and "1048576" in refused.value.message


def test_web_upload_refuses_the_corner_cell_with_one_message(client_for, clerk_user, corner_file):
    response = client_for(clerk_user).post(
        reverse("imports:upload"),
        {"resource": "persons", "file": SimpleUploadedFile("corner.xlsx", corner_file)},
        follow=True,
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED and bytes(job.file_data) == b""
    assert [error["message"] for error in job.errors] == [job.errors[0]["message"]]
    assert ROWS in job.errors[0]["message"]
    assert ROWS in response.content.decode()


def test_confirm_passes_the_guard_again(client_for, staff_user, corner_file):
    # given a previewed job whose stored file is (somehow) the corner cell
    client = client_for(staff_user)
    client.post(
        reverse("imports:upload"),
        {"resource": "persons", "file": SimpleUploadedFile("ok.xlsx", persons_workbook(person_row()))},
    )
    job = ImportJob.objects.get(status=ImportJob.Status.READY)
    ImportJob.objects.filter(pk=job.pk).update(file_data=corner_file)

    client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and ROWS in job.errors[0]["message"]
    assert not Person.objects.exists()


def test_celery_task_refuses_the_corner_cell(staff_user, corner_file):
    from imports.tasks import run_import_job

    job = ImportJobFactory(
        user=staff_user, status=ImportJob.Status.VALIDATING, file_data=corner_file, row_count=10_000
    )

    assert run_import_job.apply(args=(job.pk, True)).get() == ImportJob.Status.REJECTED

    job.refresh_from_db()
    assert ROWS in job.errors[0]["message"] and bytes(job.file_data) == b""


def test_import_excel_refuses_the_corner_cell(tmp_path, corner_file):
    path = tmp_path / "corner.xlsx"
    path.write_bytes(corner_file)
    out = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_excel", "persons", str(path), "--json", stdout=out)

    assert refused.value.returncode == 1
    document = json.loads(out.getvalue())
    assert len(document["errors"]) == 1 and ROWS in document["errors"][0]["message"]


def test_admin_import_refuses_the_corner_cell(client_for, admin_user, corner_file):
    response = client_for(admin_user).post(
        reverse("admin:registry_person_import"),
        {"format": "0", "import_file": SimpleUploadedFile("corner.xlsx", corner_file)},
    )

    assert response.status_code == 200
    assert ROWS in response.content.decode()
    assert not Person.objects.exists()


def test_admin_reader_sizes_rows_from_the_cells_not_the_dimension():
    from sheets.admin import PortalXLSX

    data = hostile.overstated_dimension(persons_workbook(person_row(), person_row()))

    dataset = PortalXLSX().create_dataset(data)

    assert (dataset.width, dataset.height) == (12, 2)


@pytest.mark.django_db(transaction=True)
def test_import_excel_process_exits_with_the_message_instead_of_dying(tmp_path, corner_file):
    path = tmp_path / "corner.xlsx"
    path.write_bytes(corner_file)

    done = run_in_child(["manage.py", "import_excel", "persons", str(path), "--json"])

    assert done.returncode == 1, done.stderr.decode()[-2000:]
    assert ROWS in json.loads(done.stdout.decode())["errors"][0]["message"]


# ---------------------------------------------------------------- jobs whose worker died


def _stale_job(user, *, minutes_ago: int, **fields) -> ImportJob:
    import datetime as dt

    from django.utils import timezone

    job = ImportJobFactory(
        user=user, status=ImportJob.Status.VALIDATING, progress=0, file_data=b"data", **fields
    )
    ImportJob.objects.filter(pk=job.pk).update(uploaded_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return job


def test_a_job_whose_worker_died_ends_as_failed_when_its_page_is_read(client_for, staff_user):
    job = _stale_job(staff_user, minutes_ago=31)

    response = client_for(staff_user).get(reverse("imports:preview", kwargs={"pk": job.pk}))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and bytes(job.file_data) == b""
    assert "30分钟没有进展" in job.errors[0]["message"]
    assert "30分钟没有进展" in response.content.decode()


def test_the_progress_poll_ends_a_stale_job_and_sends_the_page_to_its_result(client_for, staff_user):
    job = _stale_job(staff_user, minutes_ago=60)

    response = client_for(staff_user).get(
        reverse("imports:progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 204 and response["HX-Redirect"]
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_a_running_job_with_a_recent_heartbeat_is_left_running(client_for, staff_user):
    from django.utils import timezone

    job = _stale_job(staff_user, minutes_ago=120, heartbeat_at=timezone.now())

    client_for(staff_user).get(reverse("imports:preview", kwargs={"pk": job.pk}))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING and bytes(job.file_data) == b"data"


def test_the_nightly_purge_fails_stale_jobs_and_removes_their_file(staff_user):
    from imports.tasks import purge_stale_uploads

    stale = _stale_job(staff_user, minutes_ago=45)
    running = _stale_job(staff_user, minutes_ago=5)
    finished = ImportJobFactory(user=staff_user, status=ImportJob.Status.DONE, file_data=b"left over")

    assert purge_stale_uploads.apply().get() == 1

    stale.refresh_from_db()
    running.refresh_from_db()
    finished.refresh_from_db()
    assert (stale.status, bytes(stale.file_data)) == (ImportJob.Status.FAILED, b"")
    assert (running.status, bytes(running.file_data)) == (ImportJob.Status.VALIDATING, b"data")
    assert bytes(finished.file_data) == b""


def test_a_queued_run_of_a_job_already_failed_as_stale_does_nothing(staff_user):
    from imports.tasks import run_import_job

    job = ImportJobFactory(user=staff_user, status=ImportJob.Status.FAILED, file_data=b"")

    assert run_import_job.apply(args=(job.pk, True)).get() == ImportJob.Status.FAILED


# ---------------------------------------------------------------- the guard reads cells as the parser does

QUIRKS = {
    "cells and rows without references": '<row r="2"><c r="A2"><v>1</v></c><c><v>2</v></c></row>'
    '<row><c><v>3</v></c><c r="D5"><v>4</v></c></row>',
    "single quotes": "<row r='2'><c r='C3'><v>1</v></c></row>",
    "a namespace prefix": '<x:row r="2" xmlns:x="u"><x:c r="C3"><x:v>1</x:v></x:c></x:row>',
    "lower-case letters": '<row r="2"><c r="c3"><v>1</v></c></row>',
    "spaces around =": '<row r="2"><c r = "C3"><v>1</v></c></row>',
    "a row number only on the row": '<row r="7"><c><v>1</v></c></row>',
    "another namespace's r": '<row r="2"><c x:r="Z9" r="C3" xmlns:x="u"><v>1</v></c></row>',
    "a cell number unlike its row's": '<row r="1"><c r="B11"><v>1</v></c></row>',
}


@pytest.mark.parametrize("quirk", QUIRKS)
def test_guard_finds_the_extent_the_parser_finds(quirk):
    from python_calamine import CalamineWorkbook

    data = hostile.package(hostile.sheet_xml(QUIRKS[quirk]))

    extent = guard.check_workbook(data)

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    assert (extent.max_row, extent.max_column) == (
        sheet.start[0] + sheet.height,
        sheet.start[1] + sheet.width,
    )


def test_a_cell_with_two_references_is_refused_as_damaged():
    # python-calamine would take the second one
    data = hostile.package(hostile.sheet_xml('<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>'))

    assert CORRUPT in open_in_child(data)["message"]
