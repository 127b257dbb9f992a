"""A roll line's roll, person and grant: no row-level foreign keys, checked by the database per statement."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from payments import services
from payments.models import Roll, RollLine
from registry.models import Person
from registry.tests.factories import PersonFactory, street
from subsidies.models import Grant
from subsidies.tests.factories import GrantFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]
MAR = dt.date(2025, 3, 1)


@pytest.fixture
def line(staff_user):
    GrantFactory(start_month=MAR)
    roll = services.roll_build(acting_user=staff_user, street=street(), month=MAR)
    return RollLine.objects.get(roll=roll)


def test_a_line_whose_grant_is_another_persons_is_refused(line):
    other = GrantFactory(start_month=MAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.create(
            roll=line.roll, person=line.person, grant=other, kind=other.kind, month=MAR, amount=100
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.filter(pk=line.pk).update(grant=other)
    assert RollLine.objects.get(pk=line.pk).grant_id == line.grant_id


def test_a_line_whose_person_or_roll_does_not_exist_is_refused(line):
    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.create(
            roll=line.roll, person_id=10**9, grant=line.grant, kind=line.kind, month=MAR, amount=100
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.filter(pk=line.pk).update(roll_id=10**9)
    assert RollLine.objects.get(pk=line.pk).roll_id == line.roll_id


def test_a_roll_is_deleted_with_its_lines_never_before_them(line):
    with pytest.raises(IntegrityError), transaction.atomic():
        Roll.objects.filter(pk=line.roll_id)._raw_delete(connection.alias)
    line.roll.delete()  # Django's CASCADE deletes the lines first
    assert not RollLine.objects.exists()


def test_a_grant_or_person_on_a_roll_cannot_be_deleted_even_past_django(line):
    # _raw_delete skips Django's PROTECT: the database itself refuses
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=line.grant_id)._raw_delete(connection.alias)
    # the grant moved to someone else: the person's own grants no longer hold it, its lines do
    Grant.objects.filter(pk=line.grant_id).update(person=PersonFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=line.person_id)._raw_delete(connection.alias)
    assert Grant.objects.filter(pk=line.grant_id).exists()
    assert Person.objects.filter(pk=line.person_id).exists()


def test_a_grant_and_a_person_without_lines_can_still_be_deleted(line):
    person = PersonFactory()
    Grant.objects.filter(pk=GrantFactory(person=person).pk)._raw_delete(connection.alias)
    Person.objects.filter(pk=person.pk)._raw_delete(connection.alias)
    assert not Person.objects.filter(pk=person.pk).exists()
