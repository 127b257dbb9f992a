import datetime as dt

import pytest
from django.urls import reverse

from core.idnumbers import make_id_number
from core.models import Street
from registry.models import AccessLog, Person
from registry.tests.factories import CommunityFactory, PersonFactory, SurveyFactory, person_form_data
from tests.assertions import admin_adds_through_the_service

pytestmark = pytest.mark.django_db


def test_admin_pages_open_for_administrator(client_for, admin_user):
    person = PersonFactory()
    survey = SurveyFactory(person=person)
    AccessLog.objects.create(user=admin_user, action=AccessLog.Action.VIEW, person=person)
    client = client_for(admin_user)
    for url in (
        reverse("admin:registry_person_changelist"),
        reverse("admin:registry_person_change", args=[person.pk]),
        reverse("admin:registry_person_history", args=[person.pk]),
        reverse("admin:registry_survey_change", args=[survey.pk]),
        reverse("admin:registry_accesslog_changelist"),
        reverse("admin:core_community_changelist"),
        reverse("admin:core_street_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[admin_user.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "持证残疾人" in client.get(reverse("admin:index")).content.decode()


def test_admin_list_masks_id_numbers(client_for, admin_user):
    person = PersonFactory()
    html = client_for(admin_user).get(reverse("admin:registry_person_changelist")).content.decode()
    assert person.masked_id_number in html


def test_other_roles_cannot_enter_the_admin(client_for, staff_user, clerk_user, official_user):
    for user in (staff_user, clerk_user, official_user):
        response = client_for(user).get(reverse("admin:registry_person_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_access_log_is_read_only(client_for, admin_user):
    log = AccessLog.objects.create(user=admin_user, action=AccessLog.Action.VIEW)
    client = client_for(admin_user)
    assert client.get(reverse("admin:registry_accesslog_add")).status_code == 403
    assert (
        client.post(reverse("admin:registry_accesslog_delete", args=[log.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_person_saved_in_admin_goes_through_the_service_with_history(client_for, admin_user):
    community = CommunityFactory()
    street = Street.objects.get(name="宁海路街道")
    data = {
        **person_form_data(category="6", grade="1", street=street.pk, community=community.pk),
        "surveys-TOTAL_FORMS": "0",
        "surveys-INITIAL_FORMS": "0",
        "surveys-MIN_NUM_FORMS": "0",
        "surveys-MAX_NUM_FORMS": "1000",
    }
    client = client_for(admin_user)
    person = admin_adds_through_the_service(client, admin_user, Person, data)
    assert person.certificate_number.endswith("61")
    data["phone"] = "13812345678"
    response = client.post(reverse("admin:registry_person_change", args=[person.pk]), data)
    assert response.status_code == 302
    assert person.history.first().history_user == admin_user
    assert person.history.count() == 2


def test_bad_id_number_in_admin_shows_chinese_error(client_for, admin_user):
    good = make_id_number("320106", dt.date(1966, 6, 6), 66)
    data = {
        "name": "错误",
        "id_number": good[:17] + ("1" if good[17] != "1" else "2"),
        "category": "6",
        "grade": "1",
        "issued_on": "2011-01-01",
        "street": Street.objects.get(name="宁海路街道").pk,
        "surveys-TOTAL_FORMS": "0",
        "surveys-INITIAL_FORMS": "0",
    }
    response = client_for(admin_user).post(reverse("admin:registry_person_add"), data)
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert "校验位错误" in response.content.decode()


def test_user_admin_shows_role_and_street(client_for, admin_user, clerk_user):
    html = client_for(admin_user).get(reverse("admin:auth_user_changelist")).content.decode()
    assert "街道经办人" in html and "宁海路街道" in html


def test_roster_admin_adds_a_term_with_history_and_ends_it(client_for, admin_user, worker_user):
    from core.models import CommunityWorker

    community = CommunityFactory(name="花名册社区")
    client = client_for(admin_user)
    for url in (
        reverse("admin:core_communityworker_changelist"),
        reverse("admin:core_communityworker_add"),
        reverse("admin:auth_user_change", args=[worker_user.pk]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("admin:core_communityworker_add"),
        {
            "community": community.pk,
            "name": "周委员",
            "phone": "13912345678",
            "since": "2024-01-01",
            "until": "",
        },
    )
    assert response.status_code == 302
    entry = CommunityWorker.objects.get(name="周委员")
    response = client.post(
        reverse("admin:core_communityworker_change", args=[entry.pk]),
        {
            "community": community.pk,
            "name": "周委员",
            "phone": "13912345678",
            "since": "2024-01-01",
            "until": "2023-01-01",
        },
    )
    assert "离任日期不能早于任职日期" in response.content.decode()
    client.post(
        reverse("admin:core_communityworker_change", args=[entry.pk]),
        {
            "community": community.pk,
            "name": "周委员",
            "phone": "13912345678",
            "since": "2024-01-01",
            "until": "2025-06-30",
        },
    )
    entry.refresh_from_db()
    assert entry.until == dt.date(2025, 6, 30)
    assert [h.history_user for h in entry.history.all()] == [admin_user, admin_user]


def test_worker_cannot_enter_the_admin(client_for, worker_user):
    response = client_for(worker_user).get(reverse("admin:core_communityworker_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _admin_clerk(clerk_user):
    """The 宁海路街道 clerk given admin access (is_staff) and the view permission on persons."""
    from django.contrib.auth.models import Permission

    clerk_user.is_staff = True
    clerk_user.save()
    clerk_user.user_permissions.add(Permission.objects.get(codename="view_person"))
    return clerk_user


def test_staff_clerk_cannot_open_the_admin_history_of_a_person_of_another_street(client_for, clerk_user):
    # given a clerk with admin access, and a person of another street with a change in his history
    other = PersonFactory(street=Street.objects.get(name="华侨路街道"))
    other.name = "改名后"
    other.save()
    version = other.history.order_by("history_id").first()
    client = client_for(_admin_clerk(clerk_user))
    # when he opens that person's history list and one past version: then neither exists for him
    assert client.get(reverse("admin:registry_person_history", args=[other.pk])).status_code == 404
    past_version = reverse("admin:registry_person_simple_history", args=[other.pk, version.history_id])
    assert client.get(past_version).status_code == 404


def test_staff_clerk_opens_the_admin_history_of_a_person_of_his_street(client_for, clerk_user):
    own = PersonFactory(street=Street.objects.get(name="宁海路街道"))
    version = own.history.get()
    client = client_for(_admin_clerk(clerk_user))
    assert client.get(reverse("admin:registry_person_history", args=[own.pk])).status_code == 200
    past_version = reverse("admin:registry_person_simple_history", args=[own.pk, version.history_id])
    assert client.get(past_version).status_code == 200
