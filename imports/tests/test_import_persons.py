"""The persons template through the bulk importer (the code path of the command and the web page)."""

import datetime as dt

import pytest
from freezegun import freeze_time

from core.models import Community, Street
from imports.services import run_import
from imports.tests.factories import PERSON_HEADERS, new_id_number, person_row, persons_workbook
from registry.models import Person, PersonStatus
from registry.tests.factories import CommunityFactory, PersonFactory
from sheets.engine import ImportNotAllowed

pytestmark = pytest.mark.django_db


def errors_of(report):
    return [(e["row"], e["column"], e["message"]) for e in report.errors]


def test_valid_rows_are_created_with_derived_fields_and_history_of_the_acting_user(staff_user):
    # given two valid rows, one with the certificate number left empty
    first, second = person_row(姓名="张三"), person_row(姓名="李四", 残疾类别="视力", 残疾等级="一级")
    second["残疾人证号"] = f"{second['公民身份号码']}11"

    # when staff imports them
    report = run_import("persons", persons_workbook(first, second), user=staff_user)

    # then both are created, sex/birth date/certificate derived, history written by that user
    assert report.accepted and (report.created, report.updated, report.unchanged) == (2, 0, 0)
    person = Person.objects.get(id_number=first["公民身份号码"])
    assert person.certificate_number == f"{first['公民身份号码']}42"
    assert person.birth_date == dt.date(1975, 3, 9)
    assert person.sex in ("M", "F")
    assert person.street.name == "宁海路街道"
    history = person.history.get()
    assert history.history_type == "+" and history.history_user == staff_user
    assert history.history_change_reason.startswith("Excel导入")


def test_second_import_of_the_same_file_changes_nothing():
    data = persons_workbook(person_row(), person_row())
    run_import("persons", data)

    report = run_import("persons", data)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Person.history.count() == 2


def test_changed_row_updates_the_existing_person_and_records_history(staff_user):
    row = person_row(居住地址="旧地址")
    run_import("persons", persons_workbook(row))

    report = run_import(
        "persons", persons_workbook({**row, "居住地址": "新地址", "残疾等级": "三级"}), user=staff_user
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    person = Person.objects.get(id_number=row["公民身份号码"])
    assert person.address == "新地址"
    assert person.certificate_number.endswith("43"), "an empty certificate number is derived again"
    latest = person.history.first()
    assert latest.history_type == "~" and latest.history_user == staff_user and latest.address == "新地址"


def test_columns_missing_from_the_file_are_left_as_they_are():
    person = PersonFactory(address="中山路1号", phone="13800001111")
    headers = ["姓名", "公民身份号码", "残疾类别", "残疾等级", "发证日期", "所属街道"]
    row = {
        "姓名": person.name,
        "公民身份号码": person.id_number,
        "残疾类别": "肢体",
        "残疾等级": "二级",
        "发证日期": person.issued_on,
        "所属街道": "宁海路街道",
    }

    report = run_import("persons", persons_workbook(row, headers=headers))

    assert (report.updated, report.unchanged) == (0, 1)
    person.refresh_from_db()
    assert (person.address, person.phone) == ("中山路1号", "13800001111")


def test_invalid_row_among_valid_ones_writes_nothing_and_touches_nothing_stored():
    # given a stored person and a file that would change him, add a new one, and has one bad row
    stored = PersonFactory(address="原地址")
    change = person_row(公民身份号码=stored.id_number, 姓名=stored.name, 居住地址="改过的地址")
    bad = person_row(残疾类别="八级")

    report = run_import("persons", persons_workbook(change, person_row(), bad))

    assert errors_of(report) == [
        (4, "残疾类别", "应为以下之一：视力、听力、言语、肢体、智力、精神、多重（填写的是：八级）")
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert Person.objects.count() == 1
    stored.refresh_from_db()
    assert stored.address == "原地址"
    assert stored.history.count() == 1, "only the factory's own creation"


def test_dry_run_reports_counts_and_writes_nothing():
    report = run_import("persons", persons_workbook(person_row(所属社区="新社区")), dry_run=True)

    assert report.accepted and report.created == 1 and report.dry_run
    assert not Person.objects.exists()
    assert not Community.objects.filter(name="新社区").exists()


def test_every_error_of_every_row_is_reported_with_row_and_column():
    rows = [
        person_row(姓名=""),
        person_row(公民身份号码=3.20102198001011234e17),
        person_row(发证日期="2015-13-01", 联系电话="12345"),
    ]

    report = run_import("persons", persons_workbook(*rows))

    assert [(row, column) for row, column, _ in errors_of(report)] == [
        (2, "姓名"),
        (3, "公民身份号码"),
        (4, "发证日期"),
        (4, "联系电话"),  # every fault of a row at once: the phone too, though the date is bad
    ]
    assert "必填" in report.errors[0]["message"]
    assert "精度" in report.errors[1]["message"]


def test_phone_number_rule_of_the_model_is_reported_on_its_column():
    report = run_import("persons", persons_workbook(person_row(联系电话="12345")))

    assert errors_of(report) == [
        (2, "联系电话", "联系电话应为11位手机号或座机号（025-xxxxxxxx 或8位数字）（填写的是：12345）")
    ]


@pytest.mark.parametrize("phone", [13912345678.0, "139 1234 5678", "025-83123456", "83123456"])
def test_phone_numbers_typed_as_numbers_or_with_spaces_are_accepted(phone):
    report = run_import("persons", persons_workbook(person_row(联系电话=phone)))

    assert report.accepted, report.errors


def test_codes_streets_and_dates_in_their_alternative_spellings_are_accepted():
    row = person_row(残疾类别="6", 残疾等级="1级", 所属街道="华侨路", 发证日期="2015年6月1日")

    report = run_import("persons", persons_workbook(row))

    assert report.accepted, report.errors
    person = Person.objects.get()
    assert (person.category, person.grade, person.street.name, person.issued_on) == (
        "6",
        "1",
        "华侨路街道",
        dt.date(2015, 6, 1),
    )


def test_unknown_street_is_reported():
    report = run_import("persons", persons_workbook(person_row(所属街道="新街口")))

    assert errors_of(report) == [(2, "所属街道", "不是鼓楼区的街道（填写的是：新街口）")]


def test_a_new_community_name_creates_the_community_under_the_rows_street():
    existing = CommunityFactory(name="宁海路社区")
    rows = [
        person_row(所属社区="宁海路社区"),
        person_row(所属社区="新建社区"),
        person_row(所属社区="新建社区"),
        person_row(所属社区="新建社区", 所属街道="华侨路街道"),
    ]

    report = run_import("persons", persons_workbook(*rows))

    assert report.accepted, report.errors
    assert report.new_communities == ["宁海路街道 新建社区", "华侨路街道 新建社区"]
    assert Person.objects.filter(community=existing).count() == 1
    assert Community.objects.filter(name="新建社区").count() == 2
    for person in Person.objects.filter(community__name="新建社区"):
        assert person.community.street_id == person.street_id


def test_certificate_number_that_disagrees_with_category_is_reported():
    row = person_row(残疾类别="肢体", 残疾等级="二级")
    row["残疾人证号"] = f"{row['公民身份号码']}11"

    report = run_import("persons", persons_workbook(row))

    message = f"残疾人证号与公民身份号码、残疾类别、残疾等级不一致（填写的是：{row['残疾人证号']}）"
    assert errors_of(report) == [(2, "残疾人证号", message)]


@freeze_time("2026-11-28")
def test_issue_date_before_birth_or_in_the_future_is_reported():
    rows = [
        person_row(公民身份号码=new_id_number(dt.date(1990, 1, 1)), 发证日期=dt.date(1989, 12, 31)),
        person_row(发证日期=dt.date(2026, 11, 29)),
    ]

    report = run_import("persons", persons_workbook(*rows))

    assert errors_of(report) == [
        (2, "发证日期", "发证日期不能早于出生日期（填写的是：1989-12-31）"),
        (3, "发证日期", "发证日期不能晚于今天（填写的是：2026-11-29）"),
    ]


def test_status_other_than_normal_needs_a_change_date():
    rows = [person_row(人员状态="死亡"), person_row(人员状态="迁出", 状态变更日期="2024/3/1")]

    report = run_import("persons", persons_workbook(*rows))

    assert errors_of(report) == [(2, "状态变更日期", "人员状态不是“正常”时必须填写状态变更日期")]
    report = run_import("persons", persons_workbook(rows[1]))
    assert report.accepted
    assert Person.objects.get().status == PersonStatus.MOVED_OUT


def test_empty_status_means_normal():
    run_import("persons", persons_workbook(person_row(人员状态="")))

    assert Person.objects.get().status == PersonStatus.ACTIVE


def test_the_same_id_number_twice_in_a_file_is_reported_on_the_second_row():
    row = person_row()

    report = run_import("persons", persons_workbook(row, person_row(), {**row, "姓名": "另一个"}))

    message = f"与第2行重复（公民身份号码相同）（填写的是：{row['公民身份号码']}）"
    assert errors_of(report) == [(4, "公民身份号码", message)]


def test_empty_lines_between_records_are_skipped():
    data = persons_workbook(person_row(), {column: None for column in PERSON_HEADERS}, person_row())

    report = run_import("persons", data)

    assert report.accepted and report.created == 2


def test_unknown_columns_are_one_warning_and_otherwise_ignored():
    headers = [*PERSON_HEADERS, "备注", "联系人"]
    row = {**person_row(), "备注": "x", "联系人": "y"}

    report = run_import("persons", persons_workbook(row, headers=headers))

    assert report.accepted
    assert len(report.warnings) == 1
    assert "备注" in report.warnings[0]["message"] and "联系人" in report.warnings[0]["message"]


def test_columns_in_any_order_are_accepted():
    headers = list(reversed(PERSON_HEADERS))

    report = run_import("persons", persons_workbook(person_row(), headers=headers))

    assert report.accepted and report.created == 1


def test_errors_beyond_one_thousand_are_not_listed():
    rows = [person_row(残疾类别="无") for _ in range(1005)]

    report = run_import("persons", persons_workbook(*rows))

    assert len(report.errors) == 1000
    assert "1000" in report.warnings[-1]["message"]
    assert not Person.objects.exists()


def test_clerk_rows_of_another_street_are_rejected(clerk_user):
    rows = [person_row(所属街道="宁海路街道"), person_row(所属街道="华侨路街道")]

    report = run_import("persons", persons_workbook(*rows), user=clerk_user)

    assert errors_of(report) == [(3, "所属街道", "无权操作其他街道的记录")]
    assert not Person.objects.exists()


def test_clerk_cannot_move_a_person_of_another_street_into_his_own(clerk_user):
    other = PersonFactory(street=Street.objects.get(name="华侨路街道"))
    row = person_row(公民身份号码=other.id_number, 姓名=other.name, 所属街道="宁海路街道")

    report = run_import("persons", persons_workbook(row), user=clerk_user)

    # issue 14 §5: the duplicate-ID message of the form and the API, which reveals nothing more
    assert errors_of(report) == [(2, "公民身份号码", "该公民身份号码已在其他街道登记")]
    other.refresh_from_db()
    assert other.street.name == "华侨路街道"


def test_clerk_imports_rows_of_his_street(clerk_user):
    report = run_import("persons", persons_workbook(person_row(), person_row()), user=clerk_user)

    assert report.accepted and report.created == 2


def test_official_may_not_import(official_user):
    with pytest.raises(ImportNotAllowed):
        run_import("persons", persons_workbook(person_row()), user=official_user)


def test_community_worker_may_not_import_and_nothing_is_written(worker_user):
    with pytest.raises(ImportNotAllowed, match="社区专职委员无权导入数据"):
        run_import("persons", persons_workbook(person_row()), user=worker_user)
    assert not Person.objects.exists()


def test_the_orm_write_path_of_sqlite_gives_the_same_result(monkeypatch, staff_user):
    # given the writer that SQLite (the quick start) uses instead of PostgreSQL's COPY
    monkeypatch.setattr("sheets.bulkwrite._copy_available", lambda model: False)
    row = person_row(所属社区="新社区")

    created = run_import("persons", persons_workbook(row), user=staff_user)
    updated = run_import("persons", persons_workbook({**row, "居住地址": "新地址"}), user=staff_user)

    assert (created.created, updated.updated) == (1, 1)
    person = Person.objects.get()
    assert person.address == "新地址" and person.community.name == "新社区"
    assert [h.history_type for h in person.history.order_by("history_id")] == ["+", "~"]
    assert {h.history_user for h in person.history.all()} == {staff_user}


def test_a_conflict_raised_by_the_copy_is_reported_and_nothing_is_written(monkeypatch):
    """A record written by someone else between the checks and the COPY (here: injected just before
    it) makes the COPY fail on a unique index: the report says so in Chinese and the file writes
    nothing, where psycopg2's own error used to escape run_import and end the job as a system error."""
    from sheets import bulkwrite
    from sheets.engine import MESSAGE_DB_CONFLICT

    row = person_row()
    copy = bulkwrite._copy

    def someone_else_first(db, cursor, table, fields, objs):
        if table == Person._meta.db_table:
            PersonFactory(id_number=objs[0].id_number)
        return copy(db, cursor, table, fields, objs)

    monkeypatch.setattr(bulkwrite, "_copy", someone_else_first)

    report = run_import("persons", persons_workbook(row, person_row()))

    assert [error["message"] for error in report.errors] == [MESSAGE_DB_CONFLICT]
    assert report.created == 0
    assert not Person.objects.exists()


def test_copy_write_path_keeps_created_and_updated_timestamps():
    row = person_row()
    run_import("persons", persons_workbook(row))
    person = Person.objects.get()
    created_at = person.created_at

    run_import("persons", persons_workbook({**row, "居住地址": "新地址"}))

    person.refresh_from_db()
    assert person.created_at == created_at and person.updated_at > created_at
    assert person.history.first().updated_at == person.updated_at


def test_a_row_with_three_faults_lists_all_three_with_the_values_found_in_the_first_preview():
    row = person_row(残疾类别="八级", 发证日期="2015-13-01", 联系电话="12345")

    report = run_import("persons", persons_workbook(row), dry_run=True)

    assert [(e["row"], e["column"]) for e in report.errors] == [
        (2, "残疾类别"),
        (2, "发证日期"),
        (2, "联系电话"),
    ]
    messages = [e["message"] for e in report.errors]
    assert messages[0].endswith("（填写的是：八级）")
    assert messages[1].endswith("（填写的是：2015-13-01）")
    assert messages[2].endswith("（填写的是：12345）")
