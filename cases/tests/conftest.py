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
