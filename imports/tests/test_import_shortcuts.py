"""The bulk importer's shortcuts (sheets/engine.py): unchanged rows recognised by their stored values,
`same_as_stored` of the persons template, existing records looked up by one array parameter per
chunk, one date per import. Each shortcut must leave the outcome of the full path unchanged."""

import datetime as dt

import pytest
from django.db import connection
from freezegun import freeze_time

from certificates.models import Application
from certificates.resources import ALREADY_IMPORTED
from certificates.tests import factories as cf
from core import periods
from core.idnumbers import make_id_number
from imports.services import run_import
from imports.tests.factories import PERSON_HEADERS, person_row, persons_workbook, sheet_bytes
from registry.models import Person
from sheets import engine, widgets
from sheets.engine import BulkImporter

pytestmark = pytest.mark.django_db

BANK_HEADERS = [*PERSON_HEADERS, "银行账号"]
ACCOUNT = "622202000012340123"


@pytest.fixture
def built_rows(monkeypatch):
    """The rows that took the full path (record built, model's clean() and rules run), by row number."""
    numbers = []
    build = BulkImporter._build

    def counting(self, row, instance):
        numbers.append(row.number)
        return build(self, row, instance)

    monkeypatch.setattr(BulkImporter, "_build", counting)
    return numbers


def snapshot() -> list[tuple]:
    return list(Person.objects.order_by("pk").values_list())


def counts(report) -> tuple[int, int, int]:
    return report.created, report.updated, report.unchanged


# ------------------------------------------------------------ 1. unchanged rows


def test_reimport_of_stored_rows_is_unchanged_without_history_or_writes(staff_user, built_rows):
    rows = [person_row(姓名="张三"), person_row(姓名="李四", 所属社区="宁海路社区"), person_row(姓名="王五")]
    data = persons_workbook(*rows)
    assert run_import("persons", data, user=staff_user).accepted
    before, history_before = snapshot(), Person.history.count()
    built_rows.clear()

    report = run_import("persons", data, user=staff_user)

    assert report.accepted and counts(report) == (0, 0, 3)
    assert built_rows == [], "unchanged rows skip building the record"
    assert Person.history.count() == history_before == 3
    assert snapshot() == before


def test_reimport_of_stored_rows_is_unchanged_outside_postgresql(staff_user, monkeypatch, built_rows):
    # given persons stored, then a database that is not PostgreSQL (the IN-list lookup of SQLite)
    rows = [person_row(姓名="张三"), person_row(姓名="李四")]
    data = persons_workbook(*rows)
    assert run_import("persons", data, user=staff_user).accepted
    before, history_before = snapshot(), Person.history.count()
    built_rows.clear()
    monkeypatch.setattr(connection, "vendor", "sqlite")

    report = run_import("persons", data, user=staff_user)

    assert report.accepted and counts(report) == (0, 0, 2)
    assert built_rows == []
    assert Person.history.count() == history_before and snapshot() == before


def test_preview_lists_unchanged_rows_by_name(staff_user):
    row = person_row(姓名="张三")
    data = persons_workbook(row)
    run_import("persons", data, user=staff_user)

    report = run_import("persons", data, user=staff_user, dry_run=True)

    assert counts(report) == (0, 0, 1)
    assert [entry["row"] for entry in report.plan["unchanged"]] == [2]
    assert "张三" in report.plan["unchanged"][0]["record"]


def test_clerk_reimporting_another_streets_unchanged_rows_gets_the_scope_message(clerk_user, staff_user):
    # given a person of 华侨路街道 stored by staff
    row = person_row(所属街道="华侨路街道")
    data = persons_workbook(row)
    assert run_import("persons", data, user=staff_user).accepted

    # when a clerk of 宁海路街道 imports the same row, unchanged
    report = run_import("persons", data, user=clerk_user)

    # then the shortcut does not let it through: the scope message, nothing else
    assert not report.accepted
    assert [(e["row"], e["message"]) for e in report.errors] == [(2, engine.OTHER_STREET_MESSAGE)]


def test_clerk_reimporting_own_streets_unchanged_rows_sees_them_unchanged(clerk_user, built_rows):
    data = persons_workbook(person_row(), person_row())
    assert run_import("persons", data, user=clerk_user).accepted
    built_rows.clear()

    report = run_import("persons", data, user=clerk_user)

    assert report.accepted and counts(report) == (0, 0, 2) and built_rows == []


# ------------------------------------------------------------ 2. one cell differs


def test_row_differing_in_one_cell_is_updated_and_identical_rows_stay_unchanged(staff_user, built_rows):
    rows = [person_row(姓名="张三"), person_row(姓名="李四", 居住地址="旧地址"), person_row(姓名="王五")]
    assert run_import("persons", persons_workbook(*rows)).accepted
    untouched = {p.pk: p.updated_at for p in Person.objects.exclude(name="李四")}
    built_rows.clear()

    changed = {**rows[1], "居住地址": "新地址"}
    report = run_import("persons", persons_workbook(rows[0], changed, rows[2]), user=staff_user)

    assert report.accepted and counts(report) == (0, 1, 2)
    assert built_rows == [3], "only the changed row takes the full path"
    person = Person.objects.get(name="李四")
    assert person.address == "新地址"
    latest = person.history.first()
    assert latest.history_type == "~" and latest.history_user == staff_user and latest.address == "新地址"
    assert person.history.count() == 2
    assert {p.pk: p.updated_at for p in Person.objects.exclude(name="李四")} == untouched
    assert Person.history.count() == 4


def test_changed_relation_is_an_update(staff_user):
    row = person_row(所属社区="宁海路社区")
    assert run_import("persons", persons_workbook(row)).accepted

    report = run_import("persons", persons_workbook({**row, "所属社区": ""}), user=staff_user)

    assert counts(report) == (0, 1, 0)
    assert Person.objects.get(id_number=row["公民身份号码"]).community is None


# ------------------------------------------------------------ 3. same_as_stored


def test_empty_certificate_number_of_a_derived_one_is_unchanged(staff_user, built_rows):
    # given a person stored with the derived certificate number, typed in full
    row = person_row()
    derived = f"{row['公民身份号码']}42"
    assert run_import("persons", persons_workbook({**row, "残疾人证号": derived})).accepted
    assert Person.objects.get().certificate_number == derived
    built_rows.clear()

    # when the file leaves the certificate number empty
    report = run_import("persons", persons_workbook({**row, "残疾人证号": ""}), user=staff_user)

    # then the row is unchanged, recognised without building it
    assert report.accepted and counts(report) == (0, 0, 1) and built_rows == []
    assert Person.objects.get().certificate_number == derived and Person.history.count() == 1


def test_empty_certificate_number_of_a_typed_one_is_derived_again(staff_user):
    # given a person stored (before the rule) with a certificate number that is not the derived one
    row = person_row()
    assert run_import("persons", persons_workbook(row)).accepted
    Person.objects.update(certificate_number=f"{row['公民身份号码']}11")

    # when the file leaves it empty, then it is derived again: an update
    report = run_import("persons", persons_workbook(row), user=staff_user)

    assert report.accepted and counts(report) == (0, 1, 0)
    assert Person.objects.get().certificate_number == f"{row['公民身份号码']}42"


def _with_account(row: dict, account: str) -> dict:
    return {**row, "银行账号": account}


def test_masked_account_with_the_stored_last_digits_is_unchanged_and_keeps_the_account(
    staff_user, built_rows
):
    row = person_row()
    assert run_import("persons", persons_workbook(_with_account(row, ACCOUNT), headers=BANK_HEADERS)).accepted
    built_rows.clear()

    report = run_import(
        "persons", persons_workbook(_with_account(row, "****0123"), headers=BANK_HEADERS), user=staff_user
    )

    assert report.accepted and counts(report) == (0, 0, 1) and built_rows == []
    assert Person.objects.get().bank_account == ACCOUNT and Person.history.count() == 1


def test_masked_account_keeps_the_stored_one_when_another_cell_changes(staff_user):
    row = person_row(居住地址="旧地址")
    assert run_import("persons", persons_workbook(_with_account(row, ACCOUNT), headers=BANK_HEADERS)).accepted

    changed = _with_account({**row, "居住地址": "新地址"}, "****0123")
    report = run_import("persons", persons_workbook(changed, headers=BANK_HEADERS), user=staff_user)

    assert report.accepted and counts(report) == (0, 1, 0)
    person = Person.objects.get()
    assert person.address == "新地址" and person.bank_account == ACCOUNT


def test_masked_account_with_other_last_digits_is_refused(staff_user):
    row = person_row()
    assert run_import("persons", persons_workbook(_with_account(row, ACCOUNT), headers=BANK_HEADERS)).accepted

    report = run_import(
        "persons", persons_workbook(_with_account(row, "****9999"), headers=BANK_HEADERS), user=staff_user
    )

    assert [(e["row"], e["column"], e["message"]) for e in report.errors] == [
        (2, "银行账号", "银行账号应为12至30位数字（填写的是：****9999）")
    ]
    assert Person.objects.get().bank_account == ACCOUNT and Person.history.count() == 1


def test_masked_account_for_a_person_without_an_account_is_refused(staff_user):
    row = person_row()
    assert run_import("persons", persons_workbook(row)).accepted

    report = run_import(
        "persons", persons_workbook(_with_account(row, "****0123"), headers=BANK_HEADERS), user=staff_user
    )

    assert [e["column"] for e in report.errors] == ["银行账号"]
    assert Person.objects.get().bank_account == ""


# ------------------------------------------------------------ 4. no shortcut for applications


def _applications_workbook(rows) -> bytes:
    return sheet_bytes([cf.APPLICATION_HEADER, *rows])


@freeze_time("2025-06-30 10:00:00")
def test_reimported_unchanged_application_is_still_an_error(staff_user):
    data = _applications_workbook(
        [["张三", cf.new_id_number(), "新办", "", "2025-05-06", "宁海路街道", "", "13912345678", "宁海路1号"]]
    )
    assert run_import("certificate_applications", data, user=staff_user).accepted

    report = run_import("certificate_applications", data, user=staff_user)

    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "受理日期")]
    assert report.errors[0]["message"].startswith(ALREADY_IMPORTED)
    assert counts(report) == (0, 0, 0) and Application.objects.count() == 1


# ------------------------------------------------------------ 5. one date per import


def test_every_row_is_checked_against_the_day_the_import_started(staff_user, monkeypatch):
    # given an import started one second before midnight in Shanghai, each row's ID check a second later
    seen = []
    with freeze_time("2025-06-30 15:59:59") as frozen:  # 23:59:59 Asia/Shanghai
        live_before = periods.today()

        def ticking_today():
            seen.append(periods.today())
            frozen.tick(dt.timedelta(seconds=1))
            return seen[-1]

        monkeypatch.setattr(widgets, "today", ticking_today)
        report = run_import(
            "persons", persons_workbook(person_row(), person_row(), person_row()), user=staff_user
        )

        # then every row saw the first day, and the day moves on after the import
        assert report.accepted and report.created == 3
        assert live_before == dt.date(2025, 6, 30)
        assert seen == [dt.date(2025, 6, 30)] * 3
        assert periods.today() == dt.date(2025, 7, 1)


def test_one_day_holds_the_date_inside_and_not_after():
    with freeze_time("2025-06-30 15:59:59") as frozen:
        with periods.one_day() as day:
            assert day == dt.date(2025, 6, 30)
            frozen.tick(dt.timedelta(seconds=2))
            assert periods.today() == day
            with periods.one_day() as inner:  # nested: the outer day stands
                assert inner == day
            assert periods.today() == day
        assert periods.today() == dt.date(2025, 7, 1)


def test_today_after_an_import_follows_the_clock(staff_user):
    with freeze_time("2025-06-30 10:00:00") as frozen:
        run_import("persons", persons_workbook(person_row()), user=staff_user)
        assert periods.today() == dt.date(2025, 6, 30)
        frozen.move_to("2025-07-02 10:00:00")
        assert periods.today() == dt.date(2025, 7, 2)


def test_today_after_a_failed_import_follows_the_clock(staff_user):
    with freeze_time("2025-06-30 10:00:00") as frozen:
        report = run_import("persons", persons_workbook(person_row(公民身份号码="123")), user=staff_user)
        assert not report.accepted
        frozen.move_to("2025-07-02 10:00:00")
        assert periods.today() == dt.date(2025, 7, 2)


# ------------------------------------------------------------ 7. lookup of existing records per chunk


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_existing_records_are_found_across_small_chunks(staff_user, monkeypatch, vendor):
    rows = [person_row(姓名=f"张{i}", 居住地址="旧地址") for i in range(7)]
    assert run_import("persons", persons_workbook(*rows), chunk_size=3).accepted
    if vendor != connection.vendor:
        monkeypatch.setattr(connection, "vendor", vendor)
    changed = [{**row, "居住地址": "新地址"} if i in (1, 5) else row for i, row in enumerate(rows)]

    report = run_import("persons", persons_workbook(*changed), user=staff_user, chunk_size=2)

    assert report.accepted and counts(report) == (0, 2, 5)
    assert Person.objects.count() == 7
    assert set(Person.objects.filter(address="新地址").values_list("name", flat=True)) == {"张1", "张5"}


def test_duplicate_rows_in_different_chunks_are_reported(staff_user):
    row = person_row()
    report = run_import("persons", persons_workbook(row, person_row(), row), user=staff_user, chunk_size=2)

    assert [(e["row"], e["column"]) for e in report.errors] == [(4, "公民身份号码")]
    assert not Person.objects.exists()


@pytest.mark.parametrize("chunk_size", [engine.CHUNK_SIZE, engine.CHUNK_SIZE + 1])
def test_more_rows_than_one_chunk_are_all_found_on_reimport(staff_user, built_rows, chunk_size):
    # 2,001 keys: a chunk of 2,000 and one of 1, or all of them in one array parameter
    first = dt.date(1960, 1, 1)
    rows = [
        person_row(公民身份号码=make_id_number("320106", first + dt.timedelta(days=i), 1))
        for i in range(engine.CHUNK_SIZE + 1)
    ]
    data = persons_workbook(*rows)
    assert counts(run_import("persons", data, user=staff_user)) == (engine.CHUNK_SIZE + 1, 0, 0)
    built_rows.clear()

    report = run_import("persons", data, user=staff_user, chunk_size=chunk_size)

    assert report.accepted and counts(report) == (0, 0, engine.CHUNK_SIZE + 1)
    assert built_rows == [] and Person.history.count() == engine.CHUNK_SIZE + 1
