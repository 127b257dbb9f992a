"""The rules of 法律救助 at their edges, through the services (the pages, the API and the admin call
them; the import runs the same clean())."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from legal_aid import services
from legal_aid.models import AidCase, AidKind, Consultation, Outcome
from legal_aid.tests.factories import AidCaseFactory, ConsultationFactory
from registry.tests.factories import PersonFactory, street

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # today: 2026-11-28
OTHER = "华侨路街道"


def _case(user, **kwargs):
    values = {
        "person": PersonFactory(),
        "kind": AidKind.LITIGATION,
        "subject": "交通事故赔偿",
        "counsel": "江苏石城律师事务所",
        "opened_on": dt.date(2026, 3, 2),
    } | kwargs
    return services.aid_case_create(acting_user=user, **values)


def _messages(exc: ValidationError) -> dict:
    return exc.value.message_dict


def test_a_case_closed_the_day_it_was_opened_is_accepted(clerk_user):
    case = _case(clerk_user, closed_on=dt.date(2026, 3, 2), outcome=Outcome.SETTLED)
    assert case.days_open == 0 and not case.is_open


def test_a_case_closed_the_day_before_it_was_opened_is_refused(clerk_user):
    with pytest.raises(ValidationError) as exc:
        _case(clerk_user, closed_on=dt.date(2026, 3, 1), outcome=Outcome.SETTLED)
    assert _messages(exc) == {"closed_on": ["结案日期不能早于立案日期"]}
    assert not AidCase.objects.exists()


def test_amount_zero_is_accepted_and_a_cent_below_is_refused(clerk_user):
    closed = {"closed_on": dt.date(2026, 5, 6), "outcome": Outcome.REJECTED}
    assert _case(clerk_user, amount_recovered=Decimal("0.00"), **closed).amount_recovered == 0
    with pytest.raises(ValidationError) as exc:
        _case(clerk_user, kind=AidKind.MEDIATION, amount_recovered=Decimal("-0.01"), **closed)
    assert _messages(exc) == {"amount_recovered": ["挽回金额不能为负数"]}
    assert AidCase.objects.count() == 1


def test_closing_needs_an_outcome_and_an_open_case_has_none(clerk_user):
    with pytest.raises(ValidationError) as exc:
        _case(clerk_user, closed_on=dt.date(2026, 5, 6))
    assert _messages(exc) == {"outcome": ["结案时必须填写办理结果"]}
    with pytest.raises(ValidationError) as exc:
        _case(clerk_user, outcome=Outcome.UPHELD)
    assert "案件未结案" in _messages(exc)["outcome"][0]


def test_closing_an_open_case_records_who_closed_it(clerk_user):
    case = _case(clerk_user)
    services.aid_case_update(
        acting_user=clerk_user,
        case=case,
        closed_on=dt.date(2026, 11, 28),
        outcome=Outcome.UPHELD,
        amount_recovered=Decimal("35000"),
    )
    case.refresh_from_db()
    assert case.closed_on == dt.date(2026, 11, 28) and case.amount_recovered == Decimal("35000.00")
    assert case.history.first().history_user == clerk_user


def test_a_case_cannot_be_closed_after_today(clerk_user):
    case = _case(clerk_user)
    with pytest.raises(ValidationError) as exc:
        services.aid_case_update(
            acting_user=clerk_user, case=case, closed_on=dt.date(2026, 11, 29), outcome=Outcome.UPHELD
        )
    assert "不能晚于今天" in _messages(exc)["closed_on"][0]


def test_clerk_cannot_record_a_case_of_another_streets_person(clerk_user):
    with pytest.raises(ValidationError) as exc:
        _case(clerk_user, person=PersonFactory(street=street(OTHER)))
    assert "无权操作其他街道的记录" in str(exc.value)
    assert not AidCase.objects.exists()


def test_a_case_open_90_days_is_not_yet_long_open_and_91_days_is():
    # today 2026-11-28; 90 days earlier is 2026-08-30
    AidCaseFactory(opened_on=dt.date(2026, 8, 30))
    day_91 = AidCaseFactory(opened_on=dt.date(2026, 8, 29))
    AidCaseFactory(opened_on=dt.date(2026, 1, 5), closed_on=dt.date(2026, 2, 1), outcome=Outcome.SETTLED)
    assert list(AidCase.objects.long_open()) == [day_91]


# Consultations ----------------------------------------------------------------------------------


def _consult(user, **kwargs):
    values = {
        "consulted_on": dt.date(2026, 11, 27),
        "topic": "labour",
        "summary": "被拖欠工资",
        "handled_by": "王律师",
    } | kwargs
    return services.consultation_create(acting_user=user, **values)


def test_a_persons_consultation_takes_his_street_and_numbers_follow_per_street_and_year(
    clerk_user, staff_user
):
    person = PersonFactory()
    first = _consult(clerk_user, person=person)
    second = _consult(clerk_user, street=street())
    other = _consult(staff_user, street=street(OTHER))
    earlier = _consult(staff_user, street=street(), consulted_on=dt.date(2025, 12, 31))

    assert first.street == person.street
    assert (first.number, second.number, other.number, earlier.number) == (
        "2026-0001",
        "2026-0002",
        "2026-0001",
        "2025-0001",
    )
    assert first.history.get().history_user == clerk_user


def test_an_anonymous_consultation_needs_a_street(clerk_user):
    with pytest.raises(ValidationError) as exc:
        _consult(clerk_user, visitor_name="匿名")
    assert "匿名咨询必须填写所属街道" in str(exc.value)
    assert not Consultation.objects.exists()


def test_a_persons_consultation_in_another_street_is_refused(staff_user):
    with pytest.raises(ValidationError) as exc:
        _consult(staff_user, person=PersonFactory(), street=street(OTHER))
    assert _messages(exc) == {"street": ["所属街道应与该持证残疾人的街道一致"]}


def test_clerk_cannot_record_an_anonymous_consultation_in_another_street(clerk_user):
    with pytest.raises(ValidationError) as exc:
        _consult(clerk_user, street=street(OTHER))
    assert "无权操作其他街道的记录" in str(exc.value)


def test_a_consultation_dated_tomorrow_is_refused(clerk_user):
    with pytest.raises(ValidationError) as exc:
        _consult(clerk_user, street=street(), consulted_on=dt.date(2026, 11, 29))
    assert "consulted_on" in _messages(exc)


def test_a_typed_number_is_kept_and_must_be_unique_in_the_street(clerk_user):
    ConsultationFactory(number="2026-0100")
    with pytest.raises(ValidationError) as exc:
        _consult(clerk_user, street=street(), number="2026-0100")
    assert "本街道已有相同登记编号的法律咨询" in str(exc.value)
    # the next automatic number follows the highest of the pattern
    assert _consult(clerk_user, street=street()).number == "2026-0101"


def test_community_worker_records_consultations_of_his_communitys_persons_only(worker_user, worker_community):
    own = PersonFactory(street=worker_community.street, community=worker_community)
    assert _consult(worker_user, person=own).person == own
    with pytest.raises(ValidationError):
        _consult(worker_user, street=worker_community.street, visitor_name="匿名")


def test_a_case_keeps_the_street_that_took_it_in_when_the_person_moves(clerk_user, staff_user):
    person = PersonFactory()
    case = _case(clerk_user, person=person)
    assert case.street == street()
    person.street = street(OTHER)
    person.save()
    services.aid_case_update(acting_user=staff_user, case=case, notes="当事人已迁至华侨路街道")
    case.refresh_from_db()
    assert case.street == street()  # the figures count it where it was taken in
