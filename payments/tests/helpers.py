"""Small helpers for the payments tests: approved rolls and return files."""

from core.roles import Role
from imports.tests.factories import sheet_bytes
from payments import services
from registry.tests.factories import make_user, street


def approved_roll(month, *, submitter, approver, street_name="宁海路街道"):
    roll = services.roll_build(acting_user=submitter, street=street(street_name), month=month)
    services.roll_submit(acting_user=submitter, roll=roll)
    return services.roll_approve(acting_user=approver, roll=roll)


def second_staff():
    return make_user("staff2", Role.DISTRICT_STAFF)


def workbook_bytes(rows) -> bytes:
    return sheet_bytes(rows)


def return_file(*failed) -> bytes:
    """A bank's return file: one row a failed payment (公民身份号码, 项目, 月份, 原因)."""
    return workbook_bytes([["公民身份号码", "项目", "月份", "原因"], *failed])
