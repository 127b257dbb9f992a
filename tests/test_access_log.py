"""Every read of person-level data writes exactly one access-log row per request (access.md).

Each door is opened once and the log must grow by one row naming the user, the action, the channel
(page, API by session or token, admin), the object or the list's persons, and the row count.
"""

import pytest
from django.forms import BooleanField
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from care_homes.tests.factories import CareHomeFactory, PlacementFactory
from core.models import Street
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from registry.models import AccessLog
from registry.tests.factories import PersonFactory, SurveyFactory
from rehab.tests.factories import RehabServiceFactory
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def own_street():
    return Street.objects.get(name="宁海路街道")


def _session_api(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _token_api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _one_new_row(before: int) -> AccessLog:
    assert AccessLog.objects.count() == before + 1
    return AccessLog.objects.order_by("-pk").first()


# API ------------------------------------------------------------------------------------------


def test_api_person_detail_by_token_writes_one_view_row(clerk_user, own_street):
    person = PersonFactory(street=own_street)
    client = _token_api(clerk_user)
    before = AccessLog.objects.count()

    response = client.get(f"/api/registry/persons/{person.pk}/")

    assert response.status_code == 200 and response.json()["id_number"] == person.id_number
    log = _one_new_row(before)
    assert (log.user, log.action, log.channel) == (clerk_user, "view", AccessLog.Channel.API_TOKEN)
    assert (log.object_type, log.object_id, log.person, log.row_count) == ("person", person.pk, person, 1)
    assert log.path == f"/api/registry/persons/{person.pk}/"
    assert log.ip_address == "127.0.0.1"


def test_api_person_list_by_session_logs_the_page_rows_and_their_persons(staff_user):
    persons = PersonFactory.create_batch(3)
    client = _session_api(staff_user)
    before = AccessLog.objects.count()

    response = client.get("/api/registry/persons/")

    assert response.status_code == 200
    log = _one_new_row(before)
    assert (log.user, log.action, log.channel, log.object_type) == (
        staff_user,
        "list",
        AccessLog.Channel.API,
        "person",
    )
    assert log.row_count == 3 and sorted(log.person_ids) == sorted(p.pk for p in persons)


def test_api_list_counts_only_the_rows_of_the_requested_page(staff_user):
    PersonFactory.create_batch(53)
    client = _token_api(staff_user)
    before = AccessLog.objects.count()

    client.get("/api/registry/persons/", {"page": 2})

    log = _one_new_row(before)
    assert log.row_count == 3 and len(log.person_ids) == 3


@pytest.mark.parametrize(
    ("url", "factory", "object_type"),
    [
        ("/api/registry/surveys/", SurveyFactory, "survey"),
        ("/api/subsidies/grants/", GrantFactory, "grant"),
        ("/api/employment/trainings/", TrainingFactory, "training"),
        ("/api/employment/employments/", EmploymentFactory, "employment"),
        ("/api/employment/graduates/", GraduateFactory, "graduate"),
        ("/api/rehab/services/", RehabServiceFactory, "rehabservice"),
        ("/api/care-homes/placements/", PlacementFactory, "placement"),
    ],
)
@pytest.mark.parametrize("auth", ["session", "token"])
def test_every_person_record_api_logs_its_list_and_detail_once(staff_user, url, factory, object_type, auth):
    records = [factory(), factory()]
    client = _token_api(staff_user) if auth == "token" else _session_api(staff_user)
    channel = AccessLog.Channel.API_TOKEN if auth == "token" else AccessLog.Channel.API

    before = AccessLog.objects.count()
    assert client.get(url).status_code == 200
    log = _one_new_row(before)
    assert (log.user, log.action, log.channel, log.object_type, log.row_count) == (
        staff_user,
        "list",
        channel,
        object_type,
        2,
    )
    assert sorted(log.person_ids) == sorted({r.person_id for r in records})

    before = AccessLog.objects.count()
    assert client.get(f"{url}{records[0].pk}/").status_code == 200
    log = _one_new_row(before)
    assert (log.action, log.object_type, log.object_id, log.person_id, log.row_count) == (
        "view",
        object_type,
        records[0].pk,
        records[0].person_id,
        1,
    )


def test_api_refusals_and_writes_are_not_logged_as_reads(clerk_user, own_street):
    other = PersonFactory(street=Street.objects.get(name="华侨路街道"))
    own = PersonFactory(street=own_street)
    client = _token_api(clerk_user)
    before = AccessLog.objects.count()

    assert client.get(f"/api/registry/persons/{other.pk}/").status_code == 404
    assert client.patch(f"/api/registry/persons/{own.pk}/", {"phone": "13900001111"}).status_code == 200

    assert AccessLog.objects.count() == before


def test_care_home_api_is_not_person_data_and_is_not_logged(staff_user):
    CareHomeFactory()
    client = _token_api(staff_user)
    before = AccessLog.objects.count()
    assert client.get("/api/care-homes/homes/").status_code == 200
    assert AccessLog.objects.count() == before


# Pages ----------------------------------------------------------------------------------------


def test_person_edit_page_with_the_full_id_number_is_logged(client_for, clerk_user, own_street):
    person = PersonFactory(street=own_street)
    before = AccessLog.objects.count()

    response = client_for(clerk_user).get(reverse("registry:person_update", args=[person.pk]))

    assert person.id_number in response.content.decode()
    log = _one_new_row(before)
    assert (log.user, log.action, log.channel, log.person, log.row_count) == (
        clerk_user,
        "edit",
        AccessLog.Channel.PAGE,
        person,
        1,
    )


def test_person_list_page_logs_its_rows(client_for, clerk_user, own_street):
    persons = PersonFactory.create_batch(2, street=own_street)
    before = AccessLog.objects.count()

    client_for(clerk_user).get(reverse("registry:person_list"))

    log = _one_new_row(before)
    assert (log.action, log.object_type, log.row_count) == ("list", "person", 2)
    assert sorted(log.person_ids) == sorted(p.pk for p in persons)


@pytest.mark.parametrize(
    "url_name",
    [f"{app}:person_section" for app in ("subsidies", "employment", "rehab", "care_homes", "certificates")],
)
def test_each_person_section_fragment_is_logged_once(client_for, clerk_user, own_street, url_name):
    person = PersonFactory(street=own_street)
    before = AccessLog.objects.count()

    response = client_for(clerk_user).get(reverse(url_name, args=[person.pk]), **HTMX)

    assert response.status_code == 200
    log = _one_new_row(before)
    assert (log.action, log.person, log.object_type) == ("view", person, url_name.replace(":", "."))


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("subsidies:grant_update", GrantFactory),
        ("employment:training_update", TrainingFactory),
        ("rehab:service_update", RehabServiceFactory),
        ("care_homes:placement_update", PlacementFactory),
        ("registry:survey_update", SurveyFactory),
    ],
)
def test_record_edit_pages_are_logged_once(client_for, clerk_user, own_street, url_name, factory):
    record = factory(person=PersonFactory(street=own_street))
    before = AccessLog.objects.count()

    assert client_for(clerk_user).get(reverse(url_name, args=[record.pk])).status_code == 200

    log = _one_new_row(before)
    assert (log.user, log.action, log.person_id) == (clerk_user, "edit", record.person_id)


@pytest.mark.parametrize(
    ("url_name", "factory", "object_type"),
    [
        ("subsidies:grant_list", GrantFactory, "grant"),
        ("employment:training_list", TrainingFactory, "training"),
        ("rehab:service_list", RehabServiceFactory, "rehabservice"),
        ("care_homes:placement_list", PlacementFactory, "placement"),
    ],
)
def test_record_list_pages_log_their_rows(client_for, staff_user, url_name, factory, object_type):
    records = [factory(), factory()]
    before = AccessLog.objects.count()

    assert client_for(staff_user).get(reverse(url_name)).status_code == 200

    log = _one_new_row(before)
    assert (log.action, log.object_type, log.row_count) == ("list", object_type, 2)
    assert sorted(log.person_ids) == sorted({r.person_id for r in records})


# Admin ----------------------------------------------------------------------------------------


def test_admin_person_changelist_and_change_page_are_logged(client_for, admin_user):
    person = PersonFactory()
    PersonFactory()
    client = client_for(admin_user)

    before = AccessLog.objects.count()
    client.get(reverse("admin:registry_person_changelist"))
    log = _one_new_row(before)
    assert (log.action, log.channel, log.object_type, log.row_count) == (
        "list",
        AccessLog.Channel.ADMIN,
        "person",
        2,
    )

    before = AccessLog.objects.count()
    client.get(reverse("admin:registry_person_change", args=[person.pk]))
    log = _one_new_row(before)
    assert (log.action, log.channel, log.person, log.row_count) == (
        "view",
        AccessLog.Channel.ADMIN,
        person,
        1,
    )


@pytest.mark.parametrize(
    ("admin_name", "factory"),
    [
        ("subsidies_grant", GrantFactory),
        ("employment_training", TrainingFactory),
        ("rehab_rehabservice", RehabServiceFactory),
        ("care_homes_placement", PlacementFactory),
        ("registry_survey", SurveyFactory),
    ],
)
def test_admin_record_change_pages_and_changelists_are_logged(client_for, admin_user, admin_name, factory):
    record = factory()
    client = client_for(admin_user)

    before = AccessLog.objects.count()
    assert client.get(reverse(f"admin:{admin_name}_change", args=[record.pk])).status_code == 200
    log = _one_new_row(before)
    assert (log.action, log.object_id, log.person_id) == ("view", record.pk, record.person_id)

    before = AccessLog.objects.count()
    assert client.get(reverse(f"admin:{admin_name}_changelist")).status_code == 200
    log = _one_new_row(before)
    assert (log.action, log.row_count, log.person_ids) == ("list", 1, [record.person_id])


def _export_post_data(client, url) -> dict:
    """The admin export form as its page offers it: xlsx, the one resource, every field ticked."""
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)})
    return data


def test_admin_export_of_persons_is_logged_once_with_its_row_count(client_for, admin_user):
    PersonFactory.create_batch(3)
    client = client_for(admin_user)
    url = reverse("admin:registry_person_export")
    data = _export_post_data(client, url)
    before = AccessLog.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    log = _one_new_row(before)
    assert (log.user, log.action, log.channel, log.object_type, log.row_count) == (
        admin_user,
        "export",
        AccessLog.Channel.ADMIN,
        "person",
        3,
    )


# The access log's admin page ------------------------------------------------------------------


def test_access_log_admin_answers_who_looked_at_this_person(client_for, admin_user, clerk_user, own_street):
    person = PersonFactory(street=own_street, name="赵六")
    stranger = PersonFactory(street=own_street, name="钱七")
    # given the clerk saw 赵六 in a list (by token), on his detail page, and only 钱七 on another page
    client = client_for(clerk_user)
    client.get(reverse("registry:person_detail", args=[person.pk]))
    client.get(reverse("registry:person_detail", args=[stranger.pk]))
    _token_api(clerk_user).get("/api/registry/persons/")

    admin_client = client_for(admin_user)
    url = reverse("admin:registry_accesslog_changelist")
    for term in (person.id_number, "赵六"):
        rows = list(admin_client.get(url, {"q": term}).context["cl"].result_list)
        assert {(r.action, r.channel) for r in rows} == {
            ("view", AccessLog.Channel.PAGE),
            ("list", AccessLog.Channel.API_TOKEN),
        }, term


def test_access_log_admin_filters_by_user_action_and_date(client_for, admin_user, clerk_user, staff_user):
    person = PersonFactory()
    _token_api(staff_user).get(f"/api/registry/persons/{person.pk}/")
    _token_api(clerk_user).get("/api/registry/persons/")
    admin_client = client_for(admin_user)
    url = reverse("admin:registry_accesslog_changelist")

    def results(params):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        return list(response.context["cl"].result_list)

    by_user = results({"user__id__exact": staff_user.pk})
    assert by_user and {r.user for r in by_user} == {staff_user}
    by_action = results({"action__exact": "list"})
    assert by_action and {r.action for r in by_action} == {"list"}
    by_channel = results({"channel__exact": "api_token"})
    assert {r.user for r in by_channel} == {staff_user, clerk_user}
    log = AccessLog.objects.filter(user=staff_user).first()
    local = timezone.localtime(log.at)
    day = {"at__year": local.year, "at__month": local.month, "at__day": local.day}
    assert log in results(day)
    assert results({"at__year": log.at.year - 1}) == []


def test_access_log_admin_page_is_read_only_and_not_itself_person_data(client_for, admin_user):
    PersonFactory()
    client = client_for(admin_user)
    client.get(reverse("admin:registry_person_changelist"))
    log = AccessLog.objects.get()
    assert client.get(reverse("admin:registry_accesslog_change", args=[log.pk])).status_code == 200
    assert client.post(reverse("admin:registry_accesslog_change", args=[log.pk]), {}).status_code == 403
    assert AccessLog.objects.count() == 1  # the log's own pages are not logged


def test_data_quality_page_logs_the_flagged_persons_once(client_for, staff_user):
    person = PersonFactory()  # in the register, without this year's survey: flagged
    before = AccessLog.objects.count()

    assert client_for(staff_user).get(reverse("quality:data_quality")).status_code == 200

    log = _one_new_row(before)
    assert (log.action, log.object_type) == ("list", "data_quality")
    assert person.pk in log.person_ids and log.row_count >= 1


def test_admin_history_page_of_a_person_is_logged(client_for, admin_user):
    person = PersonFactory()
    before = AccessLog.objects.count()

    client_for(admin_user).get(reverse("admin:registry_person_history", args=[person.pk]))

    log = _one_new_row(before)
    assert (log.action, log.channel, log.person, log.detail) == (
        "view",
        AccessLog.Channel.ADMIN,
        person,
        "变更记录",
    )


def test_admin_pages_of_objects_without_person_data_are_not_logged(client_for, admin_user):
    home = CareHomeFactory()
    client = client_for(admin_user)
    before = AccessLog.objects.count()
    client.get(reverse("admin:care_homes_auxproject_changelist"))
    client.get(reverse("admin:care_homes_carehome_change", args=[home.pk]))
    assert AccessLog.objects.count() == before


def test_person_admin_links_to_the_access_log_of_that_person(client_for, admin_user, clerk_user):
    person = PersonFactory(street=Street.objects.get(name="宁海路街道"))
    client_for(clerk_user).get(reverse("registry:person_update", args=[person.pk]))
    client = client_for(admin_user)
    page = client.get(reverse("admin:registry_person_change", args=[person.pk])).content.decode()
    link = f"{reverse('admin:registry_accesslog_changelist')}?q={person.id_number}"
    assert link in page
    rows = list(client.get(link).context["cl"].result_list)
    assert {(r.user, r.action) for r in rows} == {(clerk_user, "edit"), (admin_user, "view")}
    assert client.get(reverse("admin:registry_person_add")).status_code == 200


def test_access_log_admin_search_by_username_when_no_person_matches(client_for, admin_user, clerk_user):
    _token_api(clerk_user).get("/api/registry/persons/")
    rows = list(
        client_for(admin_user)
        .get(reverse("admin:registry_accesslog_changelist"), {"q": clerk_user.username})
        .context["cl"]
        .result_list
    )
    assert rows and {r.user for r in rows} == {clerk_user}


@pytest.mark.parametrize(
    "url_name",
    [
        "registry:survey_create",
        "subsidies:grant_create",
        "employment:training_create",
        "rehab:service_create",
    ],
)
def test_new_record_forms_showing_the_person_are_logged_once(client_for, clerk_user, own_street, url_name):
    person = PersonFactory(street=own_street)
    before = AccessLog.objects.count()

    assert client_for(clerk_user).get(reverse(url_name, args=[person.pk])).status_code == 200

    log = _one_new_row(before)
    assert (log.action, log.person) == ("edit", person)


@pytest.mark.freeze_time("2025-06-30 10:00:00")
def test_admin_pages_of_payment_lines_and_certificate_applications_are_logged(client_for, admin_user):
    # given a payment roll line (name, ID number, amount) and an issued application (name, full ID number)
    import datetime as dt

    from certificates.tests import factories as certificates
    from payments import services as payments
    from payments.models import RollLine
    from registry.tests.factories import street

    GrantFactory(start_month=dt.date(2025, 1, 1))
    roll = payments.roll_build(acting_user=admin_user, street=street("宁海路街道"), month=dt.date(2025, 6, 1))
    line = RollLine.objects.get(roll=roll)
    application = certificates.issued_new()
    client = client_for(admin_user)
    for admin_name, record in (("payments_rollline", line), ("certificates_application", application)):
        # when the administrator opens the record and the list: then each read is logged
        before = AccessLog.objects.count()
        assert client.get(reverse(f"admin:{admin_name}_change", args=[record.pk])).status_code == 200
        log = _one_new_row(before)
        assert (log.action, log.channel, log.object_id, log.person_id) == (
            "view",
            AccessLog.Channel.ADMIN,
            record.pk,
            record.person_id,
        )
        before = AccessLog.objects.count()
        assert client.get(reverse(f"admin:{admin_name}_changelist")).status_code == 200
        log = _one_new_row(before)
        assert (log.action, log.row_count, log.person_ids) == ("list", 1, [record.person_id])
