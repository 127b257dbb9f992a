"""`import_excel` (arguments, exit status, the --json document) and `export_archive`."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.models import Street
from imports.models import ImportJob
from imports.resources import ARCHIVED_RESOURCE_NAMES
from imports.tests.factories import person_row, persons_workbook, read_workbook
from registry.models import Person
from registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

JSON_KEYS = ["resource", "dry_run", "created", "updated", "unchanged", "errors", "warnings"]


def run(*args) -> tuple[int, str]:
    """(exit status, stdout) of call_command, the way manage.py would exit."""
    out = StringIO()
    try:
        call_command("import_excel", *args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def persons_file(tmp_path):
    def write(*rows, name="persons.xlsx"):
        path = tmp_path / name
        path.write_bytes(persons_workbook(*rows))
        return str(path)

    return write


def test_json_document_of_an_import_has_exactly_the_documented_shape(persons_file):
    status, out = run("persons", persons_file(person_row(), person_row()), "--json")

    assert status == 0
    document = json.loads(out)
    assert list(document) == JSON_KEYS
    assert document == {
        "resource": "persons",
        "dry_run": False,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
    }


def test_dry_run_exits_0_and_writes_nothing(persons_file):
    status, out = run("persons", persons_file(person_row()), "--dry-run", "--json")

    assert status == 0
    assert json.loads(out)["dry_run"] is True and json.loads(out)["created"] == 1
    assert not Person.objects.exists()
    assert not ImportJob.objects.exists(), "a dry run is not an import"


def test_rejected_file_exits_1_with_errors_in_the_json(persons_file):
    status, out = run("persons", persons_file(person_row(), person_row(残疾等级="五级")), "--json")

    assert status == 1
    document = json.loads(out)
    assert document["errors"] == [
        {"row": 3, "column": "残疾等级", "message": "应为以下之一：一级、二级、三级、四级（填写的是：五级）"}
    ]
    assert (document["created"], document["updated"], document["unchanged"]) == (0, 0, 0)
    assert not Person.objects.exists()


def test_second_run_reports_every_row_unchanged(persons_file):
    path = persons_file(person_row(), person_row(), person_row())
    run("persons", path)

    status, out = run("persons", path, "--json")

    assert status == 0 and json.loads(out)["unchanged"] == 3


@pytest.mark.parametrize(
    "args",
    [
        ("nonsense", "whatever.xlsx"),
        ("persons", "/no/such/file.xlsx"),
        ("persons", "{file}", "--user", "nobody"),
    ],
)
def test_bad_arguments_exit_2(args, persons_file):
    path = persons_file(person_row())
    status, _ = run(*(arg.format(file=path) for arg in args))

    assert status == 2
    assert not Person.objects.exists()


def test_official_as_user_exits_2(persons_file, official_user):
    status, _ = run("persons", persons_file(person_row()), "--user", official_user.username)

    assert status == 2


def test_user_option_applies_the_clerks_street(persons_file, clerk_user):
    path = persons_file(person_row(所属街道="宁海路"), person_row(所属街道="华侨路"))

    status, out = run("persons", path, "--user", clerk_user.username, "--json")

    assert status == 1
    assert json.loads(out)["errors"] == [
        {"row": 3, "column": "所属街道", "message": "无权操作其他街道的记录"}
    ]


def test_bad_file_exits_1_with_one_message(tmp_path):
    path = tmp_path / "persons.xlsx"
    path.write_text("not a workbook")

    status, out = run("persons", str(path), "--json")

    assert status == 1
    assert len(json.loads(out)["errors"]) == 1


def test_each_import_is_logged_with_user_counts_and_outcome(persons_file, staff_user):
    run("persons", persons_file(person_row(), name="第一批.xlsx"), "--user", "staff")
    run("persons", persons_file(person_row(残疾类别="?"), name="第二批.xlsx"))

    done, failed = ImportJob.objects.order_by("id")
    assert (done.source, done.user, done.file_name, done.status, done.created) == (
        "command",
        staff_user,
        "第一批.xlsx",
        "done",
        1,
    )
    assert (failed.user, failed.status, len(failed.errors)) == (None, "failed", 1)


def test_human_readable_summary_without_json(persons_file):
    status, out = run("persons", persons_file(person_row(), person_row()))

    assert status == 0
    assert "新增 2" in out


@pytest.mark.django_db(transaction=True)
def test_manage_py_exit_status_and_stdout_carry_only_json(tmp_path):
    # given a committed database the child process can see, and a file with one bad row
    path = tmp_path / "persons.xlsx"
    path.write_bytes(persons_workbook(person_row(), person_row(发证日期="昨天")))
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "gulou_portal.settings.local",
    }
    manage = Path(settings.BASE_DIR) / "manage.py"

    # when the command runs as operators run it
    rejected = subprocess.run(
        [sys.executable, manage, "import_excel", "persons", path, "--json"],
        capture_output=True,
        env=env,
        text=True,
    )
    unknown = subprocess.run(
        [sys.executable, manage, "import_excel", "people", path, "--json"],
        capture_output=True,
        env=env,
        text=True,
    )

    # then: exit status 1 with one JSON document on stdout; 2 for an unknown resource
    assert rejected.returncode == 1, rejected.stderr
    assert json.loads(rejected.stdout)["errors"][0]["column"] == "发证日期"
    assert unknown.returncode == 2 and unknown.stdout == ""


def test_export_archive_writes_one_sheet_per_resource_that_imports_back(tmp_path):
    PersonFactory(street=Street.objects.get(name="华侨路街道"))
    path = tmp_path / "archive.xlsx"

    call_command("export_archive", str(path), stdout=StringIO())

    sheets = read_workbook(path.read_bytes())
    assert len(sheets) == len(ARCHIVED_RESOURCE_NAMES) > 10
    assert len(sheets["持证残疾人"]) == 2


def test_export_archive_to_a_directory_writes_one_workbook_per_resource(tmp_path):
    PersonFactory()

    call_command("export_archive", str(tmp_path / "archive"), stdout=StringIO())

    files = sorted(p.name for p in (tmp_path / "archive").iterdir())
    assert len(files) == len(ARCHIVED_RESOURCE_NAMES) and "persons.xlsx" in files
    status, out = run("persons", str(tmp_path / "archive" / "persons.xlsx"), "--json")
    assert status == 0 and json.loads(out)["unchanged"] == 1


def test_unexpected_failure_is_a_refusal_with_a_message_not_a_traceback(persons_file, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("imports.management.commands.import_excel.run_import", explode)

    status, out = run("persons", persons_file(person_row()), "--json")

    assert status == 1
    assert "系统错误" in json.loads(out)["errors"][0]["message"]
