"""The bulk importer's writer thread (sheets/engine.py, PostgreSQL): a chunk's records are written
while the next chunk is checked, with the same rows and history as written in turn, and an error
of a write rolls the whole file back."""

import contextlib
import threading

import pytest
from django.db import connection

from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook
from registry.models import Person
from sheets.engine import MESSAGE_DB_CONFLICT, BulkImporter

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer thread needs COPY (PostgreSQL)"),
]

CHUNK = 2


@contextlib.contextmanager
def _no_writer(self):
    yield None


def _record_threads(monkeypatch) -> list[bool]:
    """Whether each chunk's records were written from a thread other than the importing one."""
    from_other_thread = []
    write_records = BulkImporter._write_records

    def spy(self, batch, fields, db):
        from_other_thread.append(threading.current_thread() is not threading.main_thread())
        write_records(self, batch, fields, db)

    monkeypatch.setattr(BulkImporter, "_write_records", spy)
    return from_other_thread


def _stored():
    skip = {"id", "created_at", "updated_at"}
    fields = [f.attname for f in Person._meta.concrete_fields if f.attname not in skip]
    history_fields = [*fields, "history_type", "history_change_reason", "history_user_id"]
    return (
        list(Person.objects.order_by("id_number").values_list(*fields)),
        list(Person.history.order_by("id_number", "history_id").values_list(*history_fields)),
    )


def _import_twice(first: list[dict], second: list[dict], user):
    reports = [
        run_import("persons", persons_workbook(*rows), user=user, chunk_size=CHUNK)
        for rows in (first, second)
    ]
    assert all(report.accepted for report in reports)
    return [(r.created, r.updated, r.unchanged) for r in reports]


def test_the_writer_thread_writes_the_rows_and_history_the_plain_path_writes(monkeypatch, staff_user):
    # given a file of new persons, and a second file that changes some, keeps some and adds some
    first = [person_row(姓名=f"甲{i}", 所属社区=f"新社区{i % 2}") for i in range(7)]
    second = [
        *({**row, "居住地址": f"新地址{i}"} for i, row in enumerate(first[:3])),
        *first[3:5],
        *(person_row(姓名=f"乙{i}") for i in range(4)),
    ]

    # when both are imported chunk by chunk through the writer thread
    threads = _record_threads(monkeypatch)
    counts = _import_twice(first, second, staff_user)
    overlapped = _stored()
    Person.objects.all().delete()
    Person.history.all().delete()
    # and again with each chunk written in turn
    monkeypatch.setattr(BulkImporter, "_writer", _no_writer)
    threads_before = len(threads)
    assert _import_twice(first, second, staff_user) == counts

    # then the writes ran in the writer thread, and both ways stored the same rows and history
    assert threads[:threads_before] and all(threads[:threads_before])
    assert not any(threads[threads_before:])
    assert counts == [(7, 0, 0), (4, 3, 2)]
    assert _stored() == overlapped
    assert len(overlapped[1]) == 7 + 4 + 3


def _failing_write(monkeypatch, failing_call: int, error: Exception | None) -> list[bool]:
    """The writer's `failing_call`-th chunk (1 = first) fails in the database, or with `error`."""
    calls = _record_threads(monkeypatch)
    write_records = BulkImporter._write_records

    def write_or_fail(self, batch, fields, db):
        write_records(self, batch, fields, db)
        if len(calls) == failing_call:
            if error is None:
                with db.cursor() as cursor:
                    cursor.execute("SELECT 1 / 0")
            raise error

    monkeypatch.setattr(BulkImporter, "_write_records", write_or_fail)
    return calls


@pytest.mark.parametrize("failing_call", [1, 3], ids=["next query waits", "last chunk, on leaving"])
def test_a_database_error_of_the_writer_rolls_the_whole_file_back_and_is_reported(
    monkeypatch, staff_user, failing_call
):
    calls = _failing_write(monkeypatch, failing_call, None)
    rows = [person_row(姓名=f"丙{i}") for i in range(6)]

    report = run_import("persons", persons_workbook(*rows), user=staff_user, chunk_size=CHUNK)

    assert all(calls) and len(calls) == failing_call
    assert [e["message"] for e in report.errors] == [MESSAGE_DB_CONFLICT]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not Person.objects.exists() and not Person.history.exists()
    # the connection is usable again: the next import writes
    monkeypatch.undo()
    assert run_import("persons", persons_workbook(*rows), user=staff_user).created == 6


def test_any_other_error_of_the_writer_reaches_the_caller_and_nothing_is_written(monkeypatch, staff_user):
    _failing_write(monkeypatch, 2, RuntimeError("writer bug"))
    rows = [person_row(姓名=f"丁{i}") for i in range(6)]

    with pytest.raises(RuntimeError, match="writer bug"):
        run_import("persons", persons_workbook(*rows), user=staff_user, chunk_size=CHUNK)

    assert not Person.objects.exists() and not Person.history.exists()
