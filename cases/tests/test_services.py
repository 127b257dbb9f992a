"""The rules of 信访事项 in the services and the model, with their Chinese messages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import (
    ACTION_AFTER_CLOSING,
    ACTION_BEFORE_RECEIPT,
    CLOSE_NEEDS_OUTCOME,
    CLOSE_NEEDS_REPLY,
    DEADLINE_BEFORE_RECEIPT,
    PERSON_OF_OTHER_STREET,
    WHO_IS_MISSING,
    Case,
)
from cases.tests.factories import close_case, create_case
from core.roles import OTHER_STREET_MESSAGE
from registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]


def _create(user, street, **values):
    """An item received on 2025-06-02, four weeks before today."""
    return create_case(user, street, **{"received_on": dt.date(2025, 6, 2), **values})


def test_a_case_without_number_is_numbered_by_year_and_id_in_its_history_too(clerk_user, own_street):
    case = _create(clerk_user, own_street)

    assert case.number == f"2025-{case.pk:06d}"
    record = case.history.get()
    assert record.number == case.number and record.history_user == clerk_user


def test_a_given_number_is_kept_and_may_not_repeat(clerk_user, own_street):
    _create(clerk_user, own_street, number="GD12345-2025-0001")

    with pytest.raises(ValidationError, match="该编号已存在"):
        _create(clerk_user, own_street, number="GD12345-2025-0001")


def test_closing_without_reply_or_outcome_is_refused_and_writes_nothing(clerk_user, own_street):
    case = _create(clerk_user, own_street)

    with pytest.raises(ValidationError) as exc:
        services.case_close(acting_user=clerk_user, case=case, reply="  ", outcome="")

    assert exc.value.message_dict == {"reply": [CLOSE_NEEDS_REPLY], "outcome": [CLOSE_NEEDS_OUTCOME]}
    assert Case.objects.get(pk=case.pk).closed_on is None


def test_closing_records_the_reply_the_outcome_and_today_by_default(clerk_user, own_street):
    case = _create(clerk_user, own_street)

    closed = services.case_close(
        acting_user=clerk_user, case=case, reply="已协调物业清理", outcome="resolved"
    )

    assert closed.closed_on == dt.date(2025, 6, 30) and closed.replied_on == dt.date(2025, 6, 30)
    assert closed.history.first().history_user == clerk_user


def test_a_closed_case_is_not_closed_again(clerk_user, own_street):
    case = _create(clerk_user, own_street)
    services.case_close(acting_user=clerk_user, case=case, reply="已答复", outcome="explained")

    with pytest.raises(ValidationError, match="该事项已办结"):
        services.case_close(acting_user=clerk_user, case=case, reply="再答复", outcome="resolved")


def test_a_deadline_before_receipt_is_refused(clerk_user, own_street):
    with pytest.raises(ValidationError) as exc:
        _create(clerk_user, own_street, deadline=dt.date(2025, 6, 1))

    assert exc.value.message_dict["deadline"] == [DEADLINE_BEFORE_RECEIPT]
    assert not Case.objects.exists()


def test_an_action_after_closing_is_refused(clerk_user, own_street):
    case = _create(clerk_user, own_street)
    close_case(clerk_user, case, dt.date(2025, 6, 5))

    with pytest.raises(ValidationError) as exc:
        services.case_action_add(acting_user=clerk_user, case=case, done_on=dt.date(2025, 6, 4), note="回访")

    assert exc.value.message_dict["done_on"] == [ACTION_AFTER_CLOSING]


def test_an_action_before_receipt_is_refused(clerk_user, own_street):
    case = _create(clerk_user, own_street)

    with pytest.raises(ValidationError) as exc:
        services.case_action_add(acting_user=clerk_user, case=case, done_on=dt.date(2025, 6, 1), note="交办")

    assert exc.value.message_dict["done_on"] == [ACTION_BEFORE_RECEIPT]


def test_an_action_is_dated_with_notes_and_its_user(clerk_user, own_street):
    case = _create(clerk_user, own_street)

    action = services.case_action_add(
        acting_user=clerk_user, case=case, done_on=dt.date(2025, 6, 3), note="上门核实"
    )

    assert (action.done_on, action.note, action.by) == (dt.date(2025, 6, 3), "上门核实", clerk_user)


def test_a_case_is_not_closed_before_its_last_action(clerk_user, own_street):
    case = _create(clerk_user, own_street)
    services.case_action_add(acting_user=clerk_user, case=case, done_on=dt.date(2025, 6, 10), note="协调")

    with pytest.raises(ValidationError, match="办结日期不能早于最后一条办理记录的日期（2025-06-10）"):
        close_case(clerk_user, case, dt.date(2025, 6, 9))


def test_a_person_of_another_street_is_refused(staff_user, own_street, other_street):
    stranger = PersonFactory(street=other_street)

    with pytest.raises(ValidationError) as exc:
        _create(staff_user, own_street, person=stranger, petitioner="")

    assert exc.value.message_dict["person"] == [PERSON_OF_OTHER_STREET]


def test_a_case_names_a_person_or_a_petitioner(clerk_user, own_street, person):
    with pytest.raises(ValidationError) as exc:
        _create(clerk_user, own_street, petitioner="")
    assert exc.value.message_dict["petitioner"] == [WHO_IS_MISSING]

    case = _create(clerk_user, own_street, person=person, petitioner="")
    assert case.who == "王小明"


def test_a_clerk_writes_only_cases_of_his_street(clerk_user, other_clerk_user, own_street, other_street):
    with pytest.raises(ValidationError, match=OTHER_STREET_MESSAGE):
        _create(clerk_user, other_street)
    case = _create(clerk_user, own_street)

    with pytest.raises(ValidationError, match=OTHER_STREET_MESSAGE):
        services.case_action_add(acting_user=other_clerk_user, case=case, note="越权")
    with pytest.raises(ValidationError, match=OTHER_STREET_MESSAGE):
        services.case_update(acting_user=clerk_user, case=case, street=other_street)


def test_a_community_worker_writes_cases_of_his_communitys_persons_only(
    worker_user, worker_community, own_street
):
    mine = PersonFactory(street=own_street, community=worker_community)

    case = _create(worker_user, own_street, person=mine, petitioner="")
    with pytest.raises(ValidationError, match="社区专职委员只能操作本社区人员的记录"):
        _create(worker_user, own_street)  # no person: not his to write

    assert case.person == mine


def test_an_official_writes_nothing(official_user, own_street):
    with pytest.raises(ValidationError, match="无权修改个人数据"):
        _create(official_user, own_street)


def test_overdue_is_open_after_the_deadline_day(clerk_user, own_street):
    case = _create(clerk_user, own_street, received_on=dt.date(2025, 6, 20))  # deadline Fri 27 Jun

    assert case.deadline == dt.date(2025, 6, 27)
    assert case.is_overdue
    assert list(Case.objects.overdue_on(dt.date(2025, 6, 27))) == []
    assert list(Case.objects.overdue_on(dt.date(2025, 6, 28))) == [case]
