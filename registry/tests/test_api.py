import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import Street
from registry.models import Person, Survey
from registry.tests.factories import PersonFactory, SurveyFactory, person_form_data

pytestmark = pytest.mark.django_db

PERSONS = "/api/registry/persons/"
SURVEYS = "/api/registry/surveys/"


def _new_person(**overrides):
    """A new person of category 2, grade 4 (certificate number suffix 24) as the API takes him."""
    return person_form_data(**{"category": "2", "grade": "4", "street": "宁海路街道", **overrides})


def test_list_masks_id_numbers_and_detail_shows_them(api, staff_user):
    person = PersonFactory()
    client = api(staff_user)
    row = client.get(PERSONS).json()["results"][0]
    assert row["id_number"] == person.masked_id_number
    assert person.id_number not in str(row)
    assert client.get(f"{PERSONS}{person.pk}/").json()["id_number"] == person.id_number


def test_list_filters_and_searches_like_the_page(api, staff_user):
    target = PersonFactory(name="孙悟空", category="5")
    PersonFactory(name="猪八戒")
    client = api(staff_user)
    assert [r["name"] for r in client.get(PERSONS, {"q": target.id_number}).json()["results"]] == ["孙悟空"]
    assert [r["name"] for r in client.get(PERSONS, {"category": "5"}).json()["results"]] == ["孙悟空"]
    assert [r["name"] for r in client.get(PERSONS, {"q": "八戒"}).json()["results"]] == ["猪八戒"]


def test_create_with_bad_check_digit_answers_400_in_chinese(api, clerk_user):
    good = _new_person()["id_number"]
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    response = api(clerk_user).post(PERSONS, _new_person(id_number=bad), format="json")
    assert response.status_code == 400
    assert response.json()["id_number"] == ["校验位错误"]
    assert not Person.objects.exists()


def test_clerk_creates_in_his_street_and_history_names_him(api, clerk_user):
    response = api(clerk_user).post(PERSONS, _new_person(street="宁海路"), format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get()
    assert response.json()["certificate_number"] == person.id_number + "24"
    assert person.history.get().history_user == clerk_user


def test_clerk_cannot_create_in_another_street(api, clerk_user):
    response = api(clerk_user).post(PERSONS, _new_person(street="华侨路街道"), format="json")
    assert response.status_code == 400
    assert response.json()["street"] == ["无权操作其他街道的记录"]
    assert not Person.objects.exists()


def test_partial_update_goes_through_validation(api, clerk_user):
    person = PersonFactory()
    client = api(clerk_user)
    assert client.patch(f"{PERSONS}{person.pk}/", {"phone": "12"}, format="json").status_code == 400
    response = client.patch(f"{PERSONS}{person.pk}/", {"phone": "13912345678"}, format="json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.phone == "13912345678"
    assert person.history.first().history_user == clerk_user


def test_clerk_gets_404_for_other_street_and_cannot_see_it_in_lists(api, clerk_user):
    other = PersonFactory(street=Street.objects.get(name="华侨路街道"))
    survey = SurveyFactory(person=other)
    client = api(clerk_user)
    assert client.get(f"{PERSONS}{other.pk}/").status_code == 404
    assert client.patch(f"{PERSONS}{other.pk}/", {"phone": "13912345678"}, format="json").status_code == 404
    assert client.get(f"{SURVEYS}{survey.pk}/").status_code == 404
    assert client.get(PERSONS).json()["count"] == 0
    assert client.get(SURVEYS).json()["count"] == 0
    response = client.post(SURVEYS, {"person": other.pk, "year": 2024}, format="json")
    assert response.status_code == 400
    # worded as every record's API words it (a grant, a training...): the person does not exist
    assert response.json() == {"person": [f"持证残疾人（ID {other.pk}）不存在"]}
    response = client.post(SURVEYS, {"person": "abc", "year": 2024}, format="json")
    assert response.json() == {"person": ["持证残疾人ID应为整数"]}


def test_official_and_anonymous_are_refused(api, official_user):
    PersonFactory()
    assert api(official_user).get(PERSONS).status_code == 403
    assert api(official_user).post(PERSONS, _new_person(), format="json").status_code == 403
    assert APIClient().get(PERSONS).status_code in (401, 403)


def test_no_delete(api, staff_user):
    person = PersonFactory()
    assert api(staff_user).delete(f"{PERSONS}{person.pk}/").status_code == 405
    assert Person.objects.filter(pk=person.pk).exists()


def test_token_authentication(staff_user):
    PersonFactory()
    token = Token.objects.create(user=staff_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(PERSONS).status_code == 200


def test_surveys_create_update_and_duplicate_year(api, clerk_user):
    person = PersonFactory()
    client = api(clerk_user)
    response = client.post(
        SURVEYS,
        {"person": person.pk, "year": 2024, "household_size": 3, "household_income": "1234.50"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    survey_id = response.json()["id"]
    duplicate = client.post(SURVEYS, {"person": person.pk, "year": 2024}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["year"] == ["该人员2024年度的调查已存在"]
    response = client.patch(f"{SURVEYS}{survey_id}/", {"needs_care": True, "year": 2019}, format="json")
    assert response.status_code == 200
    survey = Survey.objects.get(pk=survey_id)
    assert survey.needs_care and survey.year == 2024
    assert client.get(SURVEYS, {"year": 2024}).json()["count"] == 1


def test_list_query_count_is_bounded(api, staff_user, django_assert_max_num_queries):
    PersonFactory.create_batch(30)
    client = api(staff_user)
    with django_assert_max_num_queries(6):
        client.get(PERSONS)


def test_registry_schema_is_valid_and_generates_without_warnings():
    """`spectacular --validate --fail-on-warn`, restricted to this app's endpoints."""
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/registry/", include("registry.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    assert {"/api/registry/persons/", "/api/registry/surveys/{id}/"} <= set(schema["paths"])
