"""A clerk's import learns nothing about another street's records: scope is checked first, and such
a row gets one message, "无权操作其他街道的记录", whatever else is wrong with it.
"""

import datetime as dt

import pytest
import tablib

from care_homes.tests.factories import CareHomeFactory
from core.roles import OTHER_STREET_MESSAGE
from imports.resources import get_resource_class
from imports.services import import_job_upload
from imports.tests.factories import (
    PERSON_HEADERS,
    new_id_number,
    person_row,
    persons_workbook,
    workbook_bytes,
)
from registry.models import Person, PersonStatus
from registry.resources import PersonResource
from registry.selectors import DUPLICATE_ELSEWHERE_MESSAGE
from registry.tests.factories import PersonFactory, street
from subsidies.models import Grant

pytestmark = pytest.mark.django_db

# A file without the status columns leaves a stored person's status and its date as they are, so
# Person.clean() would compare the typed 发证日期 with another street's death date.
HEADERS_WITHOUT_STATUS = [h for h in PERSON_HEADERS if h not in ("人员状态", "状态变更日期")]


def errors_of(errors):
    return [(e["row"], e["column"], e["message"]) for e in errors]


@pytest.fixture
def deceased_elsewhere():
    """A person of 华侨路街道 who died on 2020-05-01."""
    return PersonFactory(
        street=street("华侨路街道"),
        issued_on=dt.date(2015, 1, 1),
        status=PersonStatus.DECEASED,
        status_changed_on=dt.date(2020, 5, 1),
    )


def preview(user, resource, data):
    job = import_job_upload(acting_user=user, resource=resource, file_name="预览.xlsx", data=data)
    return errors_of(job.errors)


def test_preview_of_another_streets_deceased_person_shows_only_the_scope_message(
    clerk_user, deceased_elsewhere
):
    # given a 宁海路 clerk's rows with the ID number of a 华侨路 person who died on 2020-05-01,
    # bisecting 发证日期 around the death date (and one date in the future)
    rows = {
        issued: person_row(公民身份号码=deceased_elsewhere.id_number, 所属街道="宁海路街道", 发证日期=issued)
        for issued in (dt.date(2019, 1, 1), dt.date(2021, 1, 1), dt.date(2100, 1, 1))
    }

    # when each is previewed
    answers = [
        preview(clerk_user, "persons", persons_workbook(row, headers=HEADERS_WITHOUT_STATUS))
        for row in rows.values()
    ]

    # then each preview shows the one duplicate-ID message (issue 14: "已在其他街道登记", nothing
    # more), and so they cannot be told apart
    assert answers == [[(2, "公民身份号码", DUPLICATE_ELSEWHERE_MESSAGE)]] * 3
    deceased_elsewhere.refresh_from_db()
    assert deceased_elsewhere.street.name == "华侨路街道"


def test_grant_row_of_another_streets_person_shows_only_the_scope_message(clerk_user, deceased_elsewhere):
    row = {
        "公民身份号码": deceased_elsewhere.id_number,
        "项目": "最低生活保障",
        "开始月份": "2024-05",
        "结束月份": "2024-03",
    }

    assert preview(clerk_user, "subsidies", workbook_bytes([row])) == [
        (2, "公民身份号码", OTHER_STREET_MESSAGE)
    ]
    assert not Grant.objects.exists()


def test_placement_row_of_another_streets_person_in_a_closed_home_shows_only_the_scope_message(
    clerk_user, deceased_elsewhere
):
    home = CareHomeFactory(name="已停用之家", closed_on=dt.date(2022, 6, 30))
    row = {
        "公民身份号码": deceased_elsewhere.id_number,
        "托养机构": home.name,
        "托养方式": "日间照料",
        "开始日期": "2023-03-01",
        "结束日期": "2023-01-01",
    }

    assert preview(clerk_user, "care_placements", workbook_bytes([row])) == [
        (2, "公民身份号码", OTHER_STREET_MESSAGE)
    ]


def test_admin_import_of_another_streets_person_shows_only_the_scope_message(clerk_user, deceased_elsewhere):
    row = person_row(公民身份号码=deceased_elsewhere.id_number, 所属街道="宁海路街道", 发证日期="2021-01-01")
    data = tablib.Dataset([row.get(h) for h in HEADERS_WITHOUT_STATUS], headers=HEADERS_WITHOUT_STATUS)

    result = PersonResource().import_data(data, dry_run=True, user=clerk_user)

    assert [invalid.error_dict for invalid in result.invalid_rows] == [{"__all__": [OTHER_STREET_MESSAGE]}]


def test_the_scope_message_is_one_constant_on_every_door():
    # The services no longer name it: they call core.scoping.ensure_may_change, the one write rule.
    from core import scoping
    from registry import api, forms
    from sheets import engine, resources

    assert {engine.OTHER_STREET_MESSAGE, resources.OTHER_STREET_MESSAGE, scoping.OTHER_STREET_MESSAGE} == {
        OTHER_STREET_MESSAGE
    }
    assert api.OTHER_STREET_MESSAGE is forms.OTHER_STREET_MESSAGE is OTHER_STREET_MESSAGE


def test_admin_import_of_another_streets_unchanged_person_is_not_skipped_silently(
    clerk_user, deceased_elsewhere
):
    # given the exact stored values of another street's person (an unchanged row would be skipped
    # without a word, confirming every guessed value)
    exported = PersonResource().export(queryset=Person.objects.filter(pk=deceased_elsewhere.pk))

    result = PersonResource().import_data(exported, dry_run=True, user=clerk_user)

    assert [invalid.error_dict for invalid in result.invalid_rows] == [{"__all__": [OTHER_STREET_MESSAGE]}]
    assert result.totals["skip"] == 0


def test_admin_import_of_an_unknown_person_says_so_rather_than_other_street(clerk_user):
    headers = ["公民身份号码", "项目", "开始月份"]
    data = tablib.Dataset([new_id_number(), "临时救助", "2023-05"], headers=headers)

    result = get_resource_class("subsidies")().import_data(data, dry_run=True, user=clerk_user)

    messages = [str(error.error) for _, errors in result.row_errors() for error in errors]
    messages += [m for invalid in result.invalid_rows for ms in invalid.error_dict.values() for m in ms]
    assert messages == ["登记中没有该公民身份号码的持证残疾人，请先导入持证残疾人"]
