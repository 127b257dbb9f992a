"""Pages and API of 办证管理: the steps through the forms, scope, the same message on every door."""

import datetime as dt

import pytest
from django.urls import reverse

from certificates.models import Application, ApplicationState
from certificates.tests import factories as f
from registry.admin import access_object_label
from registry.models import AccessLog, Person

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_new_application_through_the_forms_ends_with_person_in_register(client, clerk_user, staff_user):
    # given a clerk who takes the application in and assesses and reviews it
    _login(client, clerk_user)
    id_number = f.new_id_number()
    street = clerk_user.profile.street if hasattr(clerk_user, "profile") else None
    response = client.post(
        reverse("certificates:application_create"),
        {
            "name": "张三",
            "id_number": id_number,
            "kind": "new",
            "street": Application._meta.get_field("street").related_model.objects.get(name="宁海路街道").pk,
            "received_on": "2025-06-02",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(id_number=id_number)
    step_url = reverse("certificates:application_step", args=[application.pk])
    assert (
        client.post(
            step_url,
            {
                "institution": "鼓楼医院",
                "assessed_on": "2025-06-03",
                "category": "4",
                "grade": "3",
                "doctor": "李医生",
                "done_on": "2025-06-03",
            },
        ).status_code
        == 302
    )
    assert client.post(step_url, {"note": "材料齐全", "done_on": "2025-06-04"}).status_code == 302
    # when district staff decides 发证
    _login(client, staff_user)
    assert client.post(step_url, {"decision": "issue", "done_on": "2025-06-10"}).status_code == 302
    # then the person is on the register and the person page's section shows the issue
    person = Person.objects.get(id_number=id_number)
    assert person.certificate_number == f"{id_number}43" and street is None
    section = client.get(reverse("certificates:person_section", args=[person.pk])).content.decode()
    assert f"{id_number}43" in section and "新办" in section


def test_clerk_gets_decision_refused_on_the_form_in_chinese(client, clerk_user):
    application = f.receive()
    f.assess(application)
    f.street_review(application)
    _login(client, clerk_user)
    response = client.post(
        reverse("certificates:application_step", args=[application.pk]),
        {"decision": "issue", "done_on": "2025-06-10"},
        follow=True,
    )
    # the decision form is not his: he is sent back to the application with the reason
    assert response.redirect_chain == [
        (reverse("certificates:application_detail", args=[application.pk]), 302)
    ]
    assert "区残联审核只能由区残联工作人员录入" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.STREET_REVIEWED


def test_invalid_id_number_gets_the_same_message_on_form_and_api(client, staff_user):
    _login(client, staff_user)
    data = {"name": "李四", "id_number": "320106198503040001", "kind": "new", "received_on": "2025-06-02"}
    form = client.post(
        reverse("certificates:application_create"),
        data
        | {"street": Application._meta.get_field("street").related_model.objects.get(name="宁海路街道").pk},
    )
    api = client.post(
        reverse("certificates_api:application-list"),
        data | {"street": "宁海路街道"},
        content_type="application/json",
    )
    assert "校验位错误" in form.content.decode()
    assert api.status_code == 400 and api.json()["id_number"] == ["校验位错误"]
    assert not Application.objects.exists()


def test_api_creates_application_and_lists_it_scoped(client, staff_user, other_clerk_user):
    _login(client, staff_user)
    response = client.post(
        reverse("certificates_api:application-list"),
        {"name": "王五", "id_number": f.new_id_number(), "kind": "new", "street": "宁海路街道"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "received" and response.json()["steps"][0]["kind"] == "intake"
    _login(client, other_clerk_user)
    assert client.get(reverse("certificates_api:application-list")).json()["count"] == 0
    assert (
        client.get(reverse("certificates_api:application-detail", args=[response.json()["id"]])).status_code
        == 404
    )


def test_overdue_list_holds_undecided_applications_past_twenty_working_days(client, staff_user):
    # 2025-06-30: 20 working days back (Dragon Boat holiday 2025-06-02 off) -> received on 2025-05-29 or before
    late = f.receive(received_on=dt.date(2025, 5, 29))
    in_time = f.receive(received_on=dt.date(2025, 5, 30))
    decided = f.receive(received_on=dt.date(2025, 5, 6))
    f.assess(decided)
    f.street_review(decided)
    f.decide(decided, decision="refuse", reason="未达标准")
    _login(client, staff_user)
    names = [a.pk for a in client.get(reverse("certificates:overdue_list")).context["page_obj"].object_list]
    assert names == [late.pk]
    assert in_time.pk not in names


def test_statistics_show_counts_and_median_without_names(client, official_user):
    a = f.receive(received_on=dt.date(2025, 3, 3), name="赵六")
    f.assess(a)
    f.street_review(a)
    f.decide(a, on=dt.date(2025, 3, 13))
    _login(client, official_user)
    response = client.get(reverse("certificates:statistics") + "?year=2025")
    body = response.content.decode()
    assert response.status_code == 200 and "赵六" not in body and a.id_number[-4:] not in body
    assert "中位数：10 天" in body


def test_cancellation_decision_offers_and_ends_running_records(client, staff_user):
    from subsidies.tests.factories import GrantFactory

    first = f.issued_new()
    grant = GrantFactory(person=first.person, start_month=dt.date(2025, 4, 1))
    cancel = f.receive(
        id_number=first.id_number, kind="cancel", reason="move_out", received_on=dt.date(2025, 5, 5)
    )
    f.street_review(cancel)
    _login(client, staff_user)
    step_url = reverse("certificates:application_step", args=[cancel.pk])
    page = client.get(step_url).content.decode()
    assert f'value="grant:{grant.pk}"' in page
    response = client.post(
        step_url, {"decision": "issue", "done_on": "2025-06-10", "end_records": [f"grant:{grant.pk}"]}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    first.person.refresh_from_db()
    assert first.person.status == "moved_out" and grant.end_month == dt.date(2025, 6, 1)


def test_person_page_loads_the_certificate_history_section(client, staff_user):
    application = f.issued_new()
    _login(client, staff_user)
    page = client.get(reverse("registry:person_detail", args=[application.person_id])).content.decode()
    assert reverse("certificates:person_section", args=[application.person_id]) in page


def test_clerk_sees_his_streets_applications_only(client, clerk_user):
    own = f.receive(name="本街道申请人")
    other = f.receive(
        name="外街道申请人",
        street=Application._meta.get_field("street").related_model.objects.get(name="华侨路街道"),
    )
    _login(client, clerk_user)
    body = client.get(reverse("certificates:application_list")).content.decode()
    assert own.name in body and other.name not in body
    assert client.get(reverse("certificates:application_detail", args=[other.pk])).status_code == 404


def test_detail_lists_the_applicants_earlier_applications(client, staff_user):
    first = f.issued_new()
    renew = f.receive(
        id_number=first.id_number, kind="renew", reason="expiry", received_on=dt.date(2025, 5, 5)
    )
    _login(client, staff_user)
    page = client.get(reverse("certificates:application_detail", args=[renew.pk])).content.decode()
    assert reverse("certificates:application_detail", args=[first.pk]) in page


def test_admin_shows_applications_read_only(client, admin_user):
    application = f.receive()
    _login(client, admin_user)
    assert client.get(reverse("admin:certificates_application_changelist")).status_code == 200
    response = client.post(
        reverse("admin:certificates_application_change", args=[application.pk]), {"name": "改名"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.name == "申请人"


def test_median_days_from_intake_to_decision_over_the_years_decisions():
    from certificates.selectors import decision_durations

    for received, decided in [
        (dt.date(2025, 3, 3), dt.date(2025, 3, 13)),
        (dt.date(2025, 4, 1), dt.date(2025, 4, 16)),
    ]:
        a = f.receive(received_on=received)
        f.assess(a)
        f.street_review(a)
        f.decide(a, on=decided, decision="refuse", reason="未达标准")
    f.receive(received_on=dt.date(2025, 5, 5))  # undecided: not counted
    figures = decision_durations(year=2025)
    assert figures["decided"] == 2 and figures["median_days"] == 12.5
    assert figures["by_outcome"]["refuse"] == 2


def test_export_gives_a_clerk_his_streets_applications_filtered_and_a_worker_403(
    client, clerk_user, worker_user
):
    import io

    from openpyxl import load_workbook

    f.receive(name="本街道已受理")
    done = f.issued_new(name="本街道已发证")
    f.receive(
        name="外街道申请",
        street=Application._meta.get_field("street").related_model.objects.get(name="华侨路街道"),
    )
    _login(client, clerk_user)
    response = client.get(reverse("imports:export") + "?resource=certificate_applications&state=issued")
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    names = [row[0] for row in rows[1:]]
    assert names == [done.name]
    _login(client, worker_user)
    assert client.get(reverse("imports:export") + "?resource=certificate_applications").status_code == 403


def test_opening_an_application_logs_which_application_and_applicant_was_read(client, clerk_user):
    # given a 新办 application: the applicant is not on the register yet
    application = f.receive(name="王申请")
    _login(client, clerk_user)
    # when a clerk opens it on its page
    assert client.get(reverse("certificates:application_detail", args=[application.pk])).status_code == 200
    # then the access log names the application and its applicant, as the API's detail does
    log = AccessLog.objects.filter(user=clerk_user, object_type="certificate_application").get()
    assert (log.object_id, log.row_count) == (application.pk, 1)
    assert "王申请" in log.detail and application.masked_id_number in log.detail
    # named in Chinese on the access log's admin
    assert access_object_label(log.object_type) == "办证申请"


@pytest.mark.parametrize("who", ["clerk", "receiver"])
def test_the_decision_form_is_offered_only_to_staff_who_may_save_it(client, clerk_user, staff_user, who):
    # given an application reviewed by the street, taken in by district staff
    application = f.receive(by=staff_user)
    f.assess(application)
    f.street_review(application)
    # when the street clerk, or the staff member who took it in, opens it
    _login(client, clerk_user if who == "clerk" else staff_user)
    page = client.get(reverse("certificates:application_detail", args=[application.pk])).content.decode()
    step = client.get(reverse("certificates:application_step", args=[application.pk]))
    # then the page says who decides instead of offering a form that cannot be saved
    message = (
        "区残联审核只能由区残联工作人员录入" if who == "clerk" else "审核决定不能由受理该申请的经办人录入"
    )
    assert 'data-testid="next-step"' not in page and message in page
    assert step.status_code == 302
    assert step.url == reverse("certificates:application_detail", args=[application.pk])
    # while another staff member gets the form
    _login(client, f.staff())
    page = client.get(reverse("certificates:application_detail", args=[application.pk])).content.decode()
    assert 'data-testid="next-step"' in page
    assert client.get(reverse("certificates:application_step", args=[application.pk])).status_code == 200


def test_api_list_masks_the_id_number_and_the_certificate_number_and_the_detail_shows_them(
    client, clerk_user
):
    # given an issued application of the clerk's street: its decision step holds the certificate
    # number, which is the whole ID number followed by the category and grade digits
    application = f.issued_new()  # 宁海路街道
    certificate_number = application.person.certificate_number
    _login(client, clerk_user)
    # when he lists the applications through the API
    listed = client.get(reverse("certificates_api:application-list"))
    # then neither number is there whole (access.md: masked in lists) ...
    [row] = listed.json()["results"]
    assert row["id_number"] == application.masked_id_number
    assert application.id_number not in listed.content.decode()
    # ... while the detail, for a clerk who may act on it, shows both
    detail = client.get(reverse("certificates_api:application-detail", args=[application.pk])).json()
    assert detail["id_number"] == application.id_number
    assert certificate_number in {step["certificate_number"] for step in detail["steps"]}


def test_a_street_id_no_database_holds_in_the_list_url_is_ignored(client, staff_user):
    # (SQLite, the quick start's database, raised OverflowError on it: a 500)
    f.receive()
    _login(client, staff_user)
    response = client.get(reverse("certificates:application_list"), {"street": "9" * 20})
    assert response.status_code == 200 and len(response.context["page_obj"].object_list) == 1
