"""The two templates of the backlog: columns, preview, row and column errors, all or nothing,
idempotent re-import, scope."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from imports.resources import get_resource_class
from imports.services import run_import
from imports.tests.factories import sheet_bytes
from legal_aid.models import AidCase, Consultation
from legal_aid.resources import AidCaseResource, ConsultationResource
from legal_aid.tests.factories import CASE_HEADER, CONSULTATION_HEADER, AidCaseFactory, ConsultationFactory
from registry.tests.factories import PersonFactory, street
from sheets.excel import build_template
from sheets.exports import write_export

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _xlsx(header, rows) -> bytes:
    return sheet_bytes([header, *rows])


def test_templates_have_the_documented_columns():
    assert [f.column_name for f in ConsultationResource.portal_fields()] == CONSULTATION_HEADER
    assert [f.column_name for f in AidCaseResource.portal_fields()] == CASE_HEADER
    sheet = load_workbook(io.BytesIO(build_template(AidCaseResource))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == CASE_HEADER


def test_consultations_import_with_persons_and_anonymous_callers_and_again_unchanged(staff_user):
    person = PersonFactory()
    data = _xlsx(
        CONSULTATION_HEADER,
        [
            [
                "2026-0001",
                "宁海路",
                "2026/3/2",
                person.id_number,
                "",
                "电话",
                "劳动就业",
                "拖欠工资",
                "已解答",
                "王律师",
            ],
            ["2026-0002", "华侨路街道", "2026年3月3日", "", "匿名", "", "婚姻家庭", "抚养费", "", "李律师"],
        ],
    )

    preview = run_import("legal_consultations", data, user=staff_user, dry_run=True)
    assert (preview.created, preview.errors) == (2, []) and not Consultation.objects.exists()

    report = run_import("legal_consultations", data, user=staff_user)
    again = run_import("legal_consultations", data, user=staff_user)

    assert (report.created, again.created, again.unchanged) == (2, 0, 2)
    anonymous = Consultation.objects.get(number="2026-0002")
    assert (anonymous.street, anonymous.person, anonymous.channel) == (street("华侨路街道"), None, "visit")
    assert Consultation.objects.get(number="2026-0001").consulted_on == dt.date(2026, 3, 2)


def test_case_import_reports_every_bad_cell_by_row_and_column_and_writes_nothing(clerk_user):
    own = PersonFactory()
    other = PersonFactory(street=street("华侨路街道"))
    data = _xlsx(
        CASE_HEADER,
        [
            [
                own.id_number,
                "调解",
                "2026-03-02",
                "邻里纠纷",
                "人民调解委员会",
                "2026-03-02",
                "调解成功",
                "0",
                "",
            ],
            [
                own.id_number,
                "诉讼代理",
                "2026-03-02",
                "劳动争议",
                "律所",
                "2026-05-01",
                "诉求获支持",
                "-5",
                "",
            ],
            [other.id_number, "调解", "2026-03-02", "物业纠纷", "调委会", "", "", "", ""],
            [own.id_number, "仲裁", "2026-03-05", "x", "y", "", "", "", ""],
        ],
    )
    report = run_import("legal_aid_cases", data, user=clerk_user)

    found = {(e["row"], e["column"]) for e in report.errors}
    assert (3, "挽回金额") in found
    assert any(row == 4 for row, _ in found)  # another street's person: the scope message
    assert (5, "救助方式") in found
    assert not AidCase.objects.exists()


def test_case_import_closes_a_case_on_reimport(clerk_user):
    person = PersonFactory()
    open_row = [person.id_number, "诉讼代理", "2026-03-02", "劳动争议", "石城律所", "", "", "", ""]
    run_import("legal_aid_cases", _xlsx(CASE_HEADER, [open_row]), user=clerk_user)
    closed_row = [*open_row[:5], "2026-09-01", "诉求获支持", "12,000.50", "已执行到位"]

    report = run_import("legal_aid_cases", _xlsx(CASE_HEADER, [closed_row]), user=clerk_user)

    assert (report.created, report.updated, report.errors) == (0, 1, [])
    case = AidCase.objects.get()
    assert (case.closed_on, case.outcome, case.amount_recovered) == (
        dt.date(2026, 9, 1),
        "upheld",
        Decimal("12000.50"),
    )


def test_exports_of_both_templates_import_back_unchanged():
    person = PersonFactory(name="-张三")
    ConsultationFactory(person=person, summary="=HYPERLINK(1)")
    ConsultationFactory(person=None, street=street("华侨路街道"), visitor_name="匿名")
    AidCaseFactory(
        person=person, closed_on=dt.date(2026, 5, 6), outcome="settled", amount_recovered=Decimal("0")
    )
    AidCaseFactory(person=person, kind="litigation", notes="+备注")
    for name in ("legal_consultations", "legal_aid_cases"):
        resource_cls = get_resource_class(name)
        output = io.BytesIO()
        count = write_export(resource_cls, resource_cls().export_queryset(), output)

        report = run_import(name, output.getvalue())

        assert report.accepted, (name, report.errors)
        assert (report.created, report.updated, report.unchanged) == (0, 0, count) == (0, 0, 2), name
