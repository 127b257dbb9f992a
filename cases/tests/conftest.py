import pytest

from core.models import Street
from registry.tests.factories import PersonFactory


@pytest.fixture
def own_street(db):
    return Street.objects.get(name="宁海路街道")


@pytest.fixture
def other_street(db):
    return Street.objects.get(name="华侨路街道")


@pytest.fixture
def person(own_street):
    return PersonFactory(street=own_street, name="王小明")


@pytest.fixture(autouse=True)
def _deadline_rules(request):
    """The seeded rules (migration 0002): a transactional test elsewhere (the browser tests) flushes
    them from a reused test database."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        from cases.services import deadline_rules_ensure

        deadline_rules_ensure()
