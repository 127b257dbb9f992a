"""PostgreSQL's triggers keep each record rule's flags equal to the rule (quality/models.py, issue 10).

After every kind of write the rules can see (a record inserted, edited or deleted, a person's
certificate date or status changed) the flags of a rule are exactly the ids its queryset selects.
"""

import datetime as dt

import pytest
from django.db import connection

from quality import selectors
from quality.models import Flag
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory
from rehab.tests.factories import RehabServiceFactory
from subsidies.models import Grant
from subsidies.tests.factories import GrantFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the flags are kept by PostgreSQL triggers"),
]
RULES = {
    "misdated_services": selectors.misdated_rehab_services,
    "overlapping_grants": selectors.overlapping_grants,
}


def assert_flags_follow_the_rules(user) -> None:
    for rule, queryset in RULES.items():
        flagged = set(Flag.objects.filter(rule=rule).values_list("record_id", flat=True))
        assert flagged == set(queryset(user).values_list("pk", flat=True)), rule


def test_services_are_flagged_as_they_are_written_and_as_their_person_changes(staff_user):
    person = PersonFactory(issued_on=dt.date(2023, 6, 1))
    early = RehabServiceFactory(person=person, service_date=dt.date(2023, 5, 31))
    RehabServiceFactory(person=person, service_date=dt.date(2023, 6, 1))
    assert Flag.objects.filter(rule="misdated_services").count() == 1
    assert_flags_follow_the_rules(staff_user)

    early.service_date = dt.date(2023, 6, 2)  # corrected
    early.save()
    assert_flags_follow_the_rules(staff_user)
    assert not Flag.objects.exists()

    person.status, person.status_changed_on = PersonStatus.DECEASED, dt.date(2023, 6, 1)  # died: both later
    person.save()
    assert Flag.objects.filter(rule="misdated_services").count() == 1
    assert_flags_follow_the_rules(staff_user)

    early.delete()
    assert not Flag.objects.exists()


def test_grants_are_flagged_as_they_start_end_and_go(staff_user):
    first = GrantFactory(start_month=dt.date(2020, 1, 1))
    GrantFactory(person=first.person, kind="living", start_month=dt.date(2020, 1, 1))
    second = GrantFactory(person=first.person, start_month=dt.date(2022, 5, 1))
    assert Flag.objects.filter(rule="overlapping_grants").count() == 2
    assert_flags_follow_the_rules(staff_user)

    Grant.objects.filter(pk=first.pk).update(end_month=dt.date(2022, 4, 1))  # a bulk update too
    assert not Flag.objects.exists()

    first.end_month = None
    first.save()
    assert_flags_follow_the_rules(staff_user)
    second.delete()
    assert not Flag.objects.exists()


def test_bulk_writes_are_flagged_once_per_statement(staff_user):
    persons = [PersonFactory(issued_on=dt.date(2024, 1, 1)) for _ in range(3)]
    Grant.objects.bulk_create(
        [
            Grant(person=p, kind="dibao", start_month=dt.date(2024, month, 1))
            for p in persons
            for month in (2, 3)
        ]
    )
    RehabServiceFactory(person=persons[1], service_date=dt.date(2023, 12, 31))

    assert_flags_follow_the_rules(staff_user)
    assert Flag.objects.filter(rule="overlapping_grants").count() == 6


def test_truncating_a_table_drops_its_flags(staff_user):
    RehabServiceFactory(person=PersonFactory(issued_on=dt.date(2024, 1, 1)), service_date=dt.date(2023, 1, 1))
    first = GrantFactory(start_month=dt.date(2020, 1, 1))
    GrantFactory(person=first.person, start_month=dt.date(2021, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE rehab_rehabservice, subsidies_grant CASCADE")

    assert not Flag.objects.exists()
