"""The grant and rehab lists search persons the way the person list does."""

import datetime as dt

import pytest
from django.urls import reverse

from core.idnumbers import make_id_number
from registry.tests.factories import PersonFactory
from rehab.models import RehabKind, RehabService
from subsidies.tests.factories import GrantFactory


@pytest.fixture
def person_with_x(db):
    # An ID number whose check character is X, typed in lower case by the clerk.
    id_number = next(
        make_id_number("320106", dt.date(1975, 3, 4), n)
        for n in range(1000)
        if make_id_number("320106", dt.date(1975, 3, 4), n).endswith("X")
    )
    return PersonFactory(id_number=id_number, name="查找对象")


@pytest.mark.parametrize("list_name", ["subsidies:grant_list", "rehab:service_list"])
def test_list_finds_person_by_lowercase_id_number_and_by_certificate_number(
    list_name, person_with_x, client_for, staff_user
):
    GrantFactory(person=person_with_x)
    RehabService.objects.create(person=person_with_x, kind=RehabKind.BASIC, service_date=dt.date(2024, 5, 6))
    client = client_for(staff_user)
    for query in (person_with_x.id_number.lower(), person_with_x.certificate_number):
        page = client.get(reverse(list_name), {"q": query}).content.decode()
        assert "查找对象" in page, (list_name, query)
