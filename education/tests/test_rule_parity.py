"""One rule, every door (tests/test_rule_parity.py's style): the page's form, the API, the Excel import
preview, the admin's import and the admin's form refuse the same bad record with the same message,
and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from education.models import EducationAid, HomeTeachingVisit
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory
from tests.test_rule_parity import Door, _api_messages, assert_refused_by_every_door

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def aid_door(person, *, message: str, form: dict, row: dict) -> Door:
    return Door(
        form_url=reverse("education:aid_create", args=[person.pk]),
        form_data={"school": "", "notes": "", **form},
        api_url=reverse("education_api:aid-list"),
        api_data={"person": person.pk, **form},
        resource="education_aid",
        row={"公民身份号码": person.id_number, **row},
        model=EducationAid,
        message=message,
    )


def negative_amount() -> Door:
    return aid_door(
        PersonFactory(),
        message="金额不能为负数",
        form={"stage": "compulsory", "kind": "grant", "aid_date": "2025-09-01", "amount": "-100"},
        row={"学段": "义务教育", "资助类型": "助学补贴", "日期": "2025-09-01", "金额": -100},
    )


def grant_without_amount() -> Door:
    return aid_door(
        PersonFactory(),
        message="助学补贴、奖励和其他资助必须填写金额（送教上门可不填）",
        form={"stage": "high_school", "kind": "award", "aid_date": "2025-06-01", "amount": ""},
        row={"学段": "高中/中职", "资助类型": "奖励", "日期": "2025-06-01"},
    )


def aid_after_the_person_moved_out() -> Door:
    person = PersonFactory(status=PersonStatus.MOVED_OUT, status_changed_on=dt.date(2025, 3, 1))
    return aid_door(
        person,
        message="该人员已于2025-03-01迁出，不能登记此后的记录",
        form={"stage": "compulsory", "kind": "grant", "aid_date": "2025-03-01", "amount": "500"},
        row={"学段": "义务教育", "资助类型": "助学补贴", "日期": "2025-03-01", "金额": 500},
    )


def visit_after_the_person_died() -> Door:
    person = PersonFactory(status=PersonStatus.DECEASED, status_changed_on=dt.date(2025, 3, 1))
    visit = {"visit_date": "2025-03-02", "teacher": "王老师", "content": ""}
    return Door(
        form_url=reverse("education:visit_create", args=[person.pk]),
        form_data=visit,
        api_url=reverse("education_api:visit-list"),
        api_data={"person": person.pk, **visit},
        resource="home_teaching",
        row={"公民身份号码": person.id_number, "送教日期": "2025-03-02", "送教教师": "王老师"},
        model=HomeTeachingVisit,
        message="该人员已于2025-03-01死亡，不能登记此后的记录",
    )


RULES = [negative_amount, grant_without_amount, aid_after_the_person_moved_out, visit_after_the_person_died]


@pytest.mark.parametrize("rule", RULES, ids=[rule.__name__ for rule in RULES])
def test_each_rule_is_refused_by_form_api_and_import_with_the_same_message(rule, client_for, clerk_user):
    door = rule()

    assert_refused_by_every_door(door, client_for(clerk_user), clerk_user)


@pytest.mark.parametrize("rule", [negative_amount, aid_after_the_person_moved_out])
def test_the_admin_form_refuses_it_with_the_same_message(rule, client_for, admin_user):
    door = rule()

    response = client_for(admin_user).post(reverse("admin:education_educationaid_add"), door.api_data)

    assert response.status_code == 200 and door.message in response.content.decode()
    assert not EducationAid.objects.exists()


def test_negative_amount_on_an_update_is_refused_by_the_api(client_for, clerk_user):
    from education.tests.factories import EducationAidFactory

    aid = EducationAidFactory(person=PersonFactory())
    url = reverse("education_api:aid-detail", args=[aid.pk])

    response = client_for(clerk_user).patch(url, {"amount": "-1"}, content_type="application/json")

    assert response.status_code == 400 and _api_messages(response.json()) == ["金额不能为负数"]
    aid.refresh_from_db()
    assert aid.amount == 1000
