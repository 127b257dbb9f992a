"""Checks that the apps' tests share: a record refused with its message, the years a dated record
counts in, and a list page that shows the clerk's street only, with masked ID numbers."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError

from registry.tests.factories import street


@contextmanager
def refused(field: str, message: str):
    """The block raises a ValidationError that gives `field` exactly `message`."""
    with pytest.raises(ValidationError) as exc:
        yield
    assert exc.value.message_dict[field] == [message]


def assert_active_in(record, year: int, *, not_in: int) -> None:
    """`record` counts in `year` (its model's `active_in`), and not in `not_in`."""
    active_in = type(record).objects.active_in
    assert record in active_in(year)
    assert record not in active_in(not_in)


def names_in(response) -> set[str]:
    """The names of the persons whose records a list page shows."""
    return {record.person.name for record in response.context["page_obj"]}


def list_own_street_only(client, url: str, factory):
    """`client`, a clerk of 宁海路街道, opens the list at `url` where `factory` made a record of his
    street and one of 华侨路街道: he sees his street's only, with the masked ID number.
    Returns his street's record and the response."""
    own = factory(person__name="本街道人员")
    factory(person__name="外街道人员", person__street=street("华侨路街道"))

    response = client.get(url)

    assert response.status_code == 200
    assert names_in(response) == {"本街道人员"}
    body = response.content.decode()
    assert own.person.masked_id_number in body and own.person.id_number not in body
    return own, response


def assert_page_shows(client, url: str, params: dict | None = None, *, shows=(), hides=()) -> None:
    """The page at `url`, asked with `params`, names everything in `shows` and nothing in `hides`."""
    page = client.get(url, params or {}).content.decode()
    for text in shows:
        assert text in page
    for text in hides:
        assert text not in page


def api_list_own_street_only(client, url: str, factory) -> dict:
    """`client`, a clerk of 宁海路街道, lists at the API's `url` the record `factory` made in his
    street and not the one it made in 华侨路街道, with the masked ID number only.
    Returns his street's row."""
    own = factory()
    factory(person__street=street("华侨路街道"))

    data = client.get(url).json()

    assert data["count"] == 1
    assert [row["id"] for row in data["results"]] == [own.pk]
    assert data["results"][0]["person_id_number"] == own.person.masked_id_number
    assert own.person.id_number not in str(data)
    return data["results"][0]
