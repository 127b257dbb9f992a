"""The one scope rule: `for_user(user, action)` for reads and `ensure_may_change` for writes."""

import pytest
from django.core.exceptions import ValidationError

from conftest import CLERK_STREET, OTHER_STREET
from core.models import Street
from core.roles import OTHER_COMMUNITY_MESSAGE, OTHER_STREET_MESSAGE
from core.scoping import NO_WRITE_MESSAGE, ensure_may_change, scope_of
from registry.models import Person
from registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_street(db):
    return Street.objects.get(name=CLERK_STREET)


@pytest.fixture
def other_street(db):
    return Street.objects.get(name=OTHER_STREET)


def messages_of(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages


def test_scope_of_follows_the_querysets_paths():
    person = PersonFactory.build(street_id=3, community_id=7)
    assert scope_of(person) == (3, 7)


def test_staff_change_everywhere(staff_user, other_street):
    ensure_may_change(staff_user, PersonFactory.build(street=other_street))


def test_clerk_changes_his_street_only(clerk_user, clerk_street, other_street):
    ensure_may_change(clerk_user, PersonFactory.build(street=clerk_street))
    with pytest.raises(ValidationError) as caught:
        ensure_may_change(clerk_user, PersonFactory.build(street=other_street))
    assert messages_of(caught.value) == [OTHER_STREET_MESSAGE]


def test_official_changes_nothing_and_reads_nothing_to_change(official_user, clerk_street):
    with pytest.raises(ValidationError) as caught:
        ensure_may_change(official_user, PersonFactory.build(street=clerk_street))
    assert messages_of(caught.value) == [NO_WRITE_MESSAGE]
    PersonFactory(street=clerk_street)
    assert Person.objects.for_user(official_user, action="change").count() == 0


def test_community_worker_changes_his_community_only(worker_user, worker_community, other_community):
    ensure_may_change(
        worker_user, PersonFactory.build(street=worker_community.street, community=worker_community)
    )
    with pytest.raises(ValidationError) as caught:
        ensure_may_change(
            worker_user, PersonFactory.build(street=other_community.street, community=other_community)
        )
    assert messages_of(caught.value) == [OTHER_COMMUNITY_MESSAGE]


def test_streets_to_write_for_follow_the_same_rule(staff_user, clerk_user, official_user):
    assert Street.objects.for_user(staff_user, action="change").count() == Street.objects.count()
    assert [s.name for s in Street.objects.for_user(clerk_user, action="change")] == [CLERK_STREET]
    assert not Street.objects.for_user(official_user, action="change").exists()
