"""Checks that the apps' tests share: a record refused with its message (`refused`), the years a dated
record counts in, a list page or API list that shows the clerk's street only with masked ID numbers,
what a page shows and hides, an admin add saved through the service, an API creation (201), a plain
form post that redirects to the person, and a form that refuses a post with its message."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.tests.factories import PersonFactory, street


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


def admin_adds_through_the_service(client, user, model, data: dict):
    """`user`, logged in on `client`, adds a `model` record with `data` on its admin's add page; its
    history names him (the admin saved through the service). Returns the record."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = model.objects.get()
    assert record.history.get().history_user == user
    return record


def assert_redirects_to_the_person(response, person_id: int) -> None:
    """A plain (non-htmx) form post answers with the person's page."""
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_detail", args=[person_id])


def admin_adds_a_record_of_a_new_person(client, user, model, data: dict):
    """admin_adds_through_the_service, for a `model` record of a new person (PersonFactory)."""
    return admin_adds_through_the_service(client, user, model, {"person": PersonFactory().pk, **data})


def api_creates(client, url: str, data: dict) -> dict:
    """`client` posts `data` as JSON to the API's list at `url`, which answers 201; returns the body."""
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 201, response.json()
    return response.json()


def assert_form_refuses(client, url: str, data: dict, message: str, **headers) -> None:
    """Posting `data` to the form at `url` answers it again (200) with `message` shown."""
    response = client.post(url, data, **headers)
    assert response.status_code == 200
    assert message in response.content.decode()
