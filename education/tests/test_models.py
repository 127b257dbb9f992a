"""Rules of one record: amount not negative, amount required unless 送教上门, no date in the future,
one record per person, kind and day; history kept with the acting user."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from education import services
from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def create(user, person, **values):
    values = {"stage": Stage.COMPULSORY, "kind": AidKind.GRANT, "aid_date": dt.date(2025, 9, 1), **values}
    return services.education_aid_create(acting_user=user, person=person, **values)


@contextmanager
def refused_with(message: str):
    """The block raises a ValidationError whose one message, whatever its field, is `message`."""
    with pytest.raises(ValidationError) as exc:
        yield
    assert [m for ms in exc.value.message_dict.values() for m in ms] == [message]


def test_negative_amount_is_refused_next_to_the_amount(clerk_user):
    with pytest.raises(ValidationError) as exc:
        create(clerk_user, PersonFactory(), amount=Decimal("-0.01"))

    assert exc.value.message_dict == {"amount": ["金额不能为负数"]}
    assert not EducationAid.objects.exists()


def test_zero_amount_is_accepted(clerk_user):
    assert create(clerk_user, PersonFactory(), amount=Decimal("0")).amount == 0


@pytest.mark.parametrize("kind", [AidKind.GRANT, AidKind.AWARD, AidKind.OTHER])
def test_money_kinds_need_an_amount(clerk_user, kind):
    with refused_with("助学补贴、奖励和其他资助必须填写金额（送教上门可不填）"):
        create(clerk_user, PersonFactory(), kind=kind, amount=None)


def test_home_teaching_may_have_no_amount(clerk_user):
    aid = create(clerk_user, PersonFactory(), kind=AidKind.HOME_TEACHING, amount=None)

    assert aid.amount is None and aid.history.get().history_user == clerk_user


def test_today_is_accepted_and_tomorrow_refused(clerk_user):
    person = PersonFactory()
    assert create(clerk_user, person, aid_date=dt.date(2026, 11, 28), amount=Decimal(1)).pk

    with refused_with("日期不能晚于今天（2026-11-28）"):
        create(clerk_user, person, aid_date=dt.date(2026, 11, 29), amount=Decimal(1))


def test_the_same_kind_twice_on_a_day_is_refused(clerk_user):
    aid = EducationAidFactory()

    with refused_with("该人员同一天已有同一类型的教育助学记录"):
        create(clerk_user, aid.person, aid_date=aid.aid_date, amount=Decimal(5))


def test_database_refuses_a_negative_amount_written_around_the_services():
    aid = EducationAidFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        EducationAid.objects.filter(pk=aid.pk).update(amount=Decimal(-1))


def test_nothing_is_dated_on_or_after_the_day_the_person_left(clerk_user):
    person = PersonFactory(status=PersonStatus.DECEASED, status_changed_on=dt.date(2025, 5, 1))
    assert create(clerk_user, person, aid_date=dt.date(2025, 4, 30), amount=Decimal(100)).pk

    with refused_with("该人员已于2025-05-01死亡，不能登记此后的记录"):
        create(clerk_user, person, aid_date=dt.date(2025, 5, 1), amount=Decimal(100))


def test_visit_needs_a_teacher_and_keeps_its_person(clerk_user):
    person = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        services.home_teaching_visit_create(
            acting_user=clerk_user, person=person, visit_date=dt.date(2025, 3, 2), teacher="  "
        )
    assert "teacher" in exc.value.message_dict

    visit = HomeTeachingVisitFactory()
    with pytest.raises(ValidationError) as exc:
        services.home_teaching_visit_update(acting_user=clerk_user, visit=visit, person=person)
    assert exc.value.messages == ["不能修改以下字段：person"]


def test_update_changes_amount_and_keeps_history(clerk_user):
    aid = create(clerk_user, PersonFactory(), amount=Decimal(800))

    services.education_aid_update(acting_user=clerk_user, aid=aid, amount=Decimal(1200), school=None)

    aid.refresh_from_db()
    assert (aid.amount, aid.school) == (Decimal(1200), "")
    assert aid.history.count() == 2


def test_clerk_of_another_street_may_not_write(other_clerk_user):
    with pytest.raises(ValidationError):
        create(other_clerk_user, PersonFactory(), amount=Decimal(1))
    assert not HomeTeachingVisit.objects.exists() and not EducationAid.objects.exists()
