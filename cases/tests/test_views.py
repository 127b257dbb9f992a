"""The pages of 信访与维权: scoping, filters, the overdue and due-soon lists, a case from receipt to
closing through its forms, the figures, the deadline rules, the access log and pinned query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case, CaseAction, DeadlineRule, Source
from cases.tests.factories import CaseFactory
from registry.models import AccessLog
from registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]
TODAY = dt.date(2025, 6, 30)  # a Monday


def numbers(response) -> set[str]:
    return {case.number for case in response.context["page_obj"]}


def _open(street, number, deadline, **kwargs):
    return CaseFactory(
        street=street, number=number, received_on=dt.date(2025, 6, 2), deadline=deadline, **kwargs
    )


def test_clerk_lists_cases_of_his_street_only(client_for, clerk_user, own_street, other_street):
    CaseFactory(street=own_street, number="OWN-1")
    CaseFactory(street=other_street, number="OTHER-1")

    response = client_for(clerk_user).get(reverse("cases:case_list"))

    assert numbers(response) == {"OWN-1"}
    assert AccessLog.objects.filter(object_type="case", action=AccessLog.Action.LIST).count() == 1


def test_another_streets_case_answers_404_on_its_pages(client_for, clerk_user, other_street):
    case = CaseFactory(street=other_street)
    client = client_for(clerk_user)

    for name in ("case_detail", "case_update", "case_close", "case_action", "case_satisfaction"):
        assert client.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 404, name
        if name != "case_detail":
            assert client.post(reverse(f"cases:{name}", args=[case.pk]), {}).status_code == 404, name


def test_list_filters_by_status_source_category_timeliness_year_and_search(
    client_for, staff_user, own_street, person
):
    _open(own_street, "A-overdue", dt.date(2025, 6, 27), source=Source.LETTER)
    _open(own_street, "B-due-soon", dt.date(2025, 7, 3), category="rehab")  # Thu: 3rd working day
    _open(own_street, "C-later", dt.date(2025, 7, 4))  # Fri: 4th working day, not due soon
    CaseFactory(
        street=own_street,
        number="D-closed",
        received_on=dt.date(2024, 5, 6),
        deadline=dt.date(2024, 5, 13),
        closed_on=dt.date(2024, 5, 13),
        reply="已答复",
        outcome="resolved",
        person=person,
        petitioner="",
    )
    client = client_for(staff_user)

    def listed(**query):
        return numbers(client.get(reverse("cases:case_list"), query))

    assert listed(status="open") == {"A-overdue", "B-due-soon", "C-later"}
    assert listed(status="closed") == {"D-closed"}
    assert listed(timeliness="overdue") == {"A-overdue"}
    assert listed(timeliness="due_soon") == {"B-due-soon"}
    assert listed(timeliness="on_time") == {"D-closed"}
    assert listed(source="letter") == {"A-overdue"}
    assert listed(category="rehab") == {"B-due-soon"}
    assert listed(year="2024") == {"D-closed"}
    assert listed(q="王小明") == {"D-closed"}
    assert listed(q="C-later") == {"C-later"}


def test_overdue_and_due_soon_lists_with_their_counts_per_street(
    client_for, staff_user, own_street, other_street
):
    _open(own_street, "OWN-late", dt.date(2025, 6, 27))
    _open(other_street, "OTHER-late", dt.date(2025, 6, 20))
    _open(own_street, "OWN-today", TODAY)  # due today: due soon, not overdue
    client = client_for(staff_user)

    overdue = client.get(reverse("cases:overdue_list"))
    due_soon = client.get(reverse("cases:due_soon_list"))

    assert [c.number for c in overdue.context["page_obj"]] == [
        "OTHER-late",
        "OWN-late",
    ]  # longest overdue first
    assert [(r["street"].name, r["count"]) for r in overdue.context["by_street"]] == [
        ("宁海路街道", 1),
        ("华侨路街道", 1),
    ]
    assert numbers(due_soon) == {"OWN-today"}
    assert "2025-07-03" in due_soon.content.decode()


def test_clerk_sees_his_streets_overdue_list_without_the_district_counts(
    client_for, clerk_user, own_street, other_street
):
    _open(own_street, "OWN-late", dt.date(2025, 6, 27))
    _open(other_street, "OTHER-late", dt.date(2025, 6, 20))

    response = client_for(clerk_user).get(reverse("cases:overdue_list"))

    assert numbers(response) == {"OWN-late"} and response.context["by_street"] is None


def test_a_hotline_item_from_receipt_to_on_time_closing_through_the_pages(client_for, clerk_user, person):
    client = client_for(clerk_user)

    # given a 12345 item received on Mon 23 Jun 2025 for a person of the clerk's street
    response = client.post(
        reverse("cases:case_create"),
        {
            "source": "12345",
            "received_on": "2025-06-23",
            "person_id_number": person.id_number,
            "street": person.street_id,
            "subject": "反映护理补贴未到账",
            "category": "subsidy",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.deadline == dt.date(2025, 6, 30)  # + 5 working days
    # when the clerk records an action and closes it on the deadline day
    client.post(
        reverse("cases:case_action", args=[case.pk]),
        {"done_on": "2025-06-24", "note": "联系街道核实发放记录"},
    )
    response = client.post(
        reverse("cases:case_close", args=[case.pk]),
        {
            "reply": "已核实并补发",
            "outcome": "resolved",
            "closed_on": "2025-06-30",
            "satisfaction": "satisfied",
        },
        follow=True,
    )
    # then it is closed on time
    case.refresh_from_db()
    assert case.closed_on == TODAY and case.closed_on_time and case.satisfaction == "satisfied"
    assert CaseAction.objects.get().by == clerk_user
    assert "已办结（按期办结）" in response.content.decode()


def test_the_close_form_shows_the_rules_message_and_writes_nothing(client_for, clerk_user, own_street):
    case = CaseFactory(street=own_street)

    response = client_for(clerk_user).post(
        reverse("cases:case_close", args=[case.pk]),
        {"reply": "", "outcome": "", "closed_on": "2025-06-30", "satisfaction": "unrated"},
    )

    assert response.status_code == 400
    assert (
        "办结须填写答复内容" in response.content.decode()
        and "办结须选择办理结果" in response.content.decode()
    )
    assert Case.objects.get(pk=case.pk).closed_on is None


def test_the_create_form_finds_only_persons_of_the_users_street(
    client_for, clerk_user, own_street, other_street
):
    stranger = PersonFactory(street=other_street)

    response = client_for(clerk_user).post(
        reverse("cases:case_create"),
        {
            "source": "visit",
            "received_on": "2025-06-23",
            "person_id_number": stranger.id_number,
            "street": own_street.pk,
            "subject": "来访",
            "category": "other",
        },
    )

    assert "本辖区登记中没有该公民身份号码的持证残疾人" in response.content.decode()
    assert not Case.objects.exists()


def test_the_create_form_is_prefilled_from_a_person(client_for, clerk_user, person):
    form = client_for(clerk_user).get(reverse("cases:case_create"), {"person": person.pk}).context["form"]

    assert form.initial["person_id_number"] == person.id_number


def test_detail_logs_the_read_of_the_person(client_for, clerk_user, own_street, person):
    case = CaseFactory(street=own_street, person=person)

    client_for(clerk_user).get(reverse("cases:case_detail", args=[case.pk]))

    log = AccessLog.objects.get(object_type="case")
    assert log.action == AccessLog.Action.VIEW and log.person_id == person.pk


def test_detail_says_each_state_once_and_does_not_jump_to_a_form(client_for, clerk_user, own_street):
    client = client_for(clerk_user)
    open_case = _open(own_street, "OPEN", dt.date(2025, 7, 10))
    overdue = _open(own_street, "LATE", dt.date(2025, 6, 20))
    closed = _open(
        own_street,
        "DONE",
        dt.date(2025, 7, 10),
        closed_on=dt.date(2025, 6, 20),
        reply="已答复",
        outcome="resolved",
    )

    def page(case):
        return client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()

    assert page(open_case).count("办理中") == 1
    assert "已超期" in page(overdue)
    text = page(closed)
    assert "按期办结" in text and "已办结" in text
    assert "autofocus" not in text


def test_community_worker_sees_his_communitys_cases_with_a_person(
    client_for, worker_user, worker_community, own_street
):
    mine = CaseFactory(
        street=own_street, number="MINE", person=PersonFactory(street=own_street, community=worker_community)
    )
    CaseFactory(street=own_street, number="NO-PERSON")

    response = client_for(worker_user).get(reverse("cases:case_list"))

    assert numbers(response) == {"MINE"}
    assert client_for(worker_user).get(reverse("cases:case_detail", args=[mine.pk])).status_code == 200


def test_official_sees_the_figures_but_no_case(client_for, official_user, own_street):
    case = CaseFactory(street=own_street)
    client = client_for(official_user)

    assert client.get(reverse("cases:figures")).status_code == 200
    assert client.get(reverse("cases:case_list")).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_figures_keep_the_tabs_for_those_who_work_the_cases(client_for, clerk_user, official_user):
    overdue_tab = reverse("cases:overdue_list")

    assert overdue_tab in client_for(clerk_user).get(reverse("cases:figures")).content.decode()
    assert overdue_tab not in client_for(official_user).get(reverse("cases:figures")).content.decode()


def test_staff_change_a_deadline_rule_on_its_page(client_for, staff_user):
    rules = list(DeadlineRule.objects.order_by("id"))
    data = {"form-TOTAL_FORMS": len(rules), "form-INITIAL_FORMS": len(rules)}
    for index, rule in enumerate(rules):
        data |= {
            f"form-{index}-id": rule.pk,
            f"form-{index}-working_days": rule.working_days,
            f"form-{index}-note": rule.note,
        }
    index = next(i for i, rule in enumerate(rules) if rule.source == "12345")
    data[f"form-{index}-working_days"] = 3

    response = client_for(staff_user).post(reverse("cases:deadline_rules"), data)

    assert response.status_code == 302
    assert DeadlineRule.objects.get(source="12345").working_days == 3


@pytest.fixture
def assert_second_visit_queries(django_assert_max_num_queries):
    """Visits a page twice and checks that the second visit runs at most `limit` queries."""

    def check(client, url: str, limit: int) -> None:
        client.get(url)
        with django_assert_max_num_queries(limit):
            client.get(url)

    return check


def test_list_page_runs_a_bounded_number_of_queries(
    client_for, staff_user, own_street, assert_second_visit_queries
):
    for index in range(30):
        CaseFactory(street=own_street, person=PersonFactory(street=own_street), number=f"Q-{index}")

    # session, user, groups (3), the count and the page (2), streets of the filter (1), the access
    # log (1), the session save (3)
    assert_second_visit_queries(client_for(staff_user), reverse("cases:case_list"), 11)


def test_overdue_list_runs_a_bounded_number_of_queries(
    client_for, staff_user, own_street, assert_second_visit_queries
):
    for index in range(30):
        _open(own_street, f"L-{index}", dt.date(2025, 6, 27), person=PersonFactory(street=own_street))

    assert_second_visit_queries(client_for(staff_user), reverse("cases:overdue_list"), 12)


def test_detail_page_runs_a_bounded_number_of_queries(
    client_for, clerk_user, own_street, assert_second_visit_queries
):
    case = CaseFactory(street=own_street, person=PersonFactory(street=own_street))
    for day in (3, 4, 5):
        CaseAction.objects.create(case=case, done_on=dt.date(2025, 3, day), note="办理", by=clerk_user)

    assert_second_visit_queries(client_for(clerk_user), reverse("cases:case_detail", args=[case.pk]), 11)


def test_new_case_form_preselects_no_source_and_no_category(client_for, clerk_user):
    form = client_for(clerk_user).get(reverse("cases:case_create")).context["form"]

    assert form.fields["source"].choices[0] == ("", "请选择")
    assert form.fields["category"].choices[0] == ("", "请选择")
    assert not form.is_bound and form["source"].value() in (None, "")


def test_deadline_rules_page_refuses_a_tampered_form_count_without_a_server_error(client_for, staff_user):
    client = client_for(staff_user)
    rules = client.get(reverse("cases:deadline_rules")).context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(rules.forms) + 1),
        "form-INITIAL_FORMS": str(len(rules.forms) + 1),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(rules.forms):
        data |= {f"form-{i}-id": str(form.instance.pk), f"form-{i}-working_days": "9", f"form-{i}-note": ""}
    data |= {f"form-{len(rules.forms)}-working_days": "9", f"form-{len(rules.forms)}-note": ""}

    response = client.post(reverse("cases:deadline_rules"), data, follow=True)

    assert response.status_code == 200
    assert DeadlineRule.objects.count() == len(rules.forms)
    assert not DeadlineRule.objects.filter(working_days=9).exists()


def test_deadline_rules_page_answers_an_out_of_range_value_with_the_form(client_for, staff_user):
    client = client_for(staff_user)
    rules = client.get(reverse("cases:deadline_rules")).context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(rules.forms)),
        "form-INITIAL_FORMS": str(len(rules.forms)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(rules.forms):
        data |= {f"form-{i}-id": str(form.instance.pk), f"form-{i}-working_days": "99999999999999999999"}

    response = client.post(reverse("cases:deadline_rules"), data)

    assert response.status_code == 200 and response.context["formset"].errors[0]
