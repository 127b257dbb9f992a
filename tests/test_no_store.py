"""Pages, downloads and API answers that carry person data are never kept by a cache."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _is_no_store(response) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives and response["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    "url_for",
    [
        lambda person: reverse("registry:person_list"),
        lambda person: reverse("registry:person_detail", args=[person.pk]),
        lambda person: reverse("registry:person_update", args=[person.pk]),
        lambda person: reverse("subsidies:grant_list"),
        lambda person: reverse("care_homes:person_section", args=[person.pk]),
        lambda person: reverse("indicators:gap_list", args=["K08", 2023]),
        lambda person: reverse("imports:export") + "?resource=persons",
        lambda person: reverse("registry_api:person-list"),
        lambda person: reverse("registry_api:person-detail", args=[person.pk]),
    ],
    ids=[
        "person list",
        "person page",
        "person form",
        "grant list",
        "person section",
        "gap list",
        "export",
        "api list",
        "api detail",
    ],
)
def test_answers_with_person_data_are_not_stored(url_for, client_for, staff_user):
    person = PersonFactory()
    response = client_for(staff_user).get(url_for(person))
    assert response.status_code == 200
    assert _is_no_store(response), response["Cache-Control"]


def test_api_answer_to_a_token_is_not_stored(client, staff_user):
    token = Token.objects.create(user=staff_user)
    response = client.get(
        reverse("registry_api:person-list"), headers={"Authorization": f"Token {token.key}"}
    )
    assert response.status_code == 200
    assert _is_no_store(response)


def test_admin_pages_are_not_stored(client_for, admin_user):
    person = PersonFactory()
    response = client_for(admin_user).get(reverse("admin:registry_person_change", args=[person.pk]))
    assert response.status_code == 200
    assert _is_no_store(response)


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
