"""Pages and API of 法律救助: scoping (another street answers 404 on every door), filters, forms,
the figures by hand, and pinned query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from legal_aid.models import AidCase, AidKind, Consultation, Outcome, Topic
from legal_aid.tests.factories import AidCaseFactory, ConsultationFactory
from registry.models import AccessLog
from registry.tests.factories import PersonFactory, street
from tests.assertions import api_creates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # today: 2026-11-28
OTHER = "华侨路街道"


def _other_person():
    return PersonFactory(street=street(OTHER), name="外街道人员")


def test_clerk_lists_consultations_and_cases_of_his_street_only(client_for, clerk_user):
    own = ConsultationFactory(person__name="本街道人员")
    ConsultationFactory(person=None, street=street(), visitor_name="家属代为咨询")
    ConsultationFactory(person=_other_person())
    ConsultationFactory(person=None, street=street(OTHER), visitor_name="外街道匿名")
    AidCaseFactory(person=own.person)
    AidCaseFactory(person=_other_person())
    client = client_for(clerk_user)

    consultations = client.get(reverse("legal_aid:index"))
    cases = client.get(reverse("legal_aid:case_list"))

    assert {c.visitor for c in consultations.context["page_obj"]} == {"本街道人员", "家属代为咨询"}
    assert [c.person.name for c in cases.context["page_obj"]] == ["本街道人员"]
    body = consultations.content.decode()
    assert own.person.masked_id_number in body and own.person.id_number not in body
    assert AccessLog.objects.filter(object_type="consultation", row_count=2).exists()


def test_another_streets_records_answer_404_on_pages_and_api(client_for, clerk_user):
    consultation = ConsultationFactory(person=_other_person())
    case = AidCaseFactory(person=_other_person())
    client = client_for(clerk_user)

    for url in (
        reverse("legal_aid:consultation_update", args=[consultation.pk]),
        reverse("legal_aid:case_update", args=[case.pk]),
        reverse("legal_aid_api:consultation-detail", args=[consultation.pk]),
        reverse("legal_aid_api:case-detail", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.patch(
        reverse("legal_aid_api:case-detail", args=[case.pk]), {"notes": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_admin_querysets_follow_the_scoping_rules(clerk_user):
    request = RequestFactory().get("/")
    request.user = clerk_user
    own_consultation = ConsultationFactory()
    ConsultationFactory(person=_other_person())
    own_case = AidCaseFactory()
    AidCaseFactory(person=_other_person())

    assert list(site._registry[Consultation].get_queryset(request)) == [own_consultation]
    assert list(site._registry[AidCase].get_queryset(request)) == [own_case]


def test_admin_records_cannot_be_deleted(client_for, admin_user):
    case = AidCaseFactory()
    url = reverse("admin:legal_aid_aidcase_delete", args=[case.pk])
    assert client_for(admin_user).get(url).status_code == 403


def test_staff_filters_cases_by_street_kind_state_and_year(client_for, staff_user):
    AidCaseFactory(person=_other_person(), kind=AidKind.LITIGATION, opened_on=dt.date(2026, 1, 5))
    wanted = AidCaseFactory(person=_other_person(), kind=AidKind.LITIGATION, opened_on=dt.date(2026, 8, 1))
    AidCaseFactory(kind=AidKind.LITIGATION, opened_on=dt.date(2026, 8, 1))  # 宁海路
    AidCaseFactory(person=_other_person(), kind=AidKind.LITIGATION, opened_on=dt.date(2025, 8, 1))
    AidCaseFactory(
        person=_other_person(),
        kind=AidKind.LITIGATION,
        opened_on=dt.date(2026, 2, 1),
        closed_on=dt.date(2026, 3, 1),
        outcome=Outcome.UPHELD,
    )
    response = client_for(staff_user).get(
        reverse("legal_aid:case_list"),
        {"street": street(OTHER).pk, "kind": "litigation", "state": "long_open", "year": 2026},
    )
    # 2026-01-05 and 2026-08-01 are open and more than 90 days old; only the second is in August
    assert {c.pk for c in response.context["page_obj"]} >= {wanted.pk}
    assert len(response.context["page_obj"]) == 2


def test_search_finds_consultations_by_visitor_and_number(client_for, clerk_user):
    ConsultationFactory(person=None, street=street(), visitor_name="李某家属", number="2026-0042")
    ConsultationFactory(person__name="张三")
    client = client_for(clerk_user)
    assert [c.number for c in client.get(reverse("legal_aid:index"), {"q": "李某"}).context["page_obj"]] == [
        "2026-0042"
    ]
    assert len(client.get(reverse("legal_aid:index"), {"q": "2026-0042"}).context["page_obj"]) == 1
    assert [c.visitor for c in client.get(reverse("legal_aid:index"), {"q": "张三"}).context["page_obj"]] == [
        "张三"
    ]


def test_lists_run_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(30):
        ConsultationFactory(person=_other_person())
        ConsultationFactory(person=None, street=street(OTHER))
        AidCaseFactory(person=_other_person())
    client = client_for(staff_user)
    for name in ("legal_aid:index", "legal_aid:case_list"):
        # session, user, role; the landing counts (2); count, page and its persons and streets (2);
        # the access-log row; the session's save (3)
        with django_assert_max_num_queries(14):
            response = client.get(reverse(name))
        assert response.status_code == 200 and len(response.context["page_obj"]) > 0


def test_clerk_records_an_anonymous_consultation_on_the_form(client_for, clerk_user):
    response = client_for(clerk_user).post(
        reverse("legal_aid:consultation_create"),
        {
            "consulted_on": "2026-11-27",
            "channel": "phone",
            "visitor_name": "匿名",
            "street": street().pk,
            "topic": "housing",
            "summary": "物业费纠纷",
            "handled_by": "李律师",
        },
    )
    assert response.status_code == 302
    saved = Consultation.objects.get()
    assert (saved.number, saved.street, saved.person) == ("2026-0001", street(), None)


def test_consultation_form_takes_the_person_by_id_number_and_hides_other_streets(client_for, clerk_user):
    own = PersonFactory()
    other = _other_person()
    client = client_for(clerk_user)
    data = {
        "consulted_on": "2026-11-27",
        "channel": "visit",
        "topic": "labour",
        "summary": "工资",
        "handled_by": "王",
    }

    refused = client.post(reverse("legal_aid:consultation_create"), data | {"id_number": other.id_number})
    saved = client.post(reverse("legal_aid:consultation_create"), data | {"id_number": own.id_number})

    assert "未找到该公民身份号码的持证残疾人" in refused.content.decode()
    assert saved.status_code == 302
    assert Consultation.objects.get().person == own


def test_clerk_closes_a_case_on_the_form(client_for, clerk_user):
    case = AidCaseFactory()
    response = client_for(clerk_user).post(
        reverse("legal_aid:case_update", args=[case.pk]),
        {
            "kind": case.kind,
            "subject": case.subject,
            "counsel": case.counsel,
            "opened_on": "2026-03-02",
            "closed_on": "2026-03-02",
            "outcome": "settled",
            "amount_recovered": "0",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.closed_on, case.outcome, case.amount_recovered) == (
        dt.date(2026, 3, 2),
        "settled",
        Decimal("0"),
    )
    assert case.history.first().history_user == clerk_user


def test_api_creates_a_consultation_with_the_persons_street(client_for, clerk_user):
    person = PersonFactory()
    body = api_creates(
        client_for(clerk_user),
        reverse("legal_aid_api:consultation-list"),
        {
            "person": person.pk,
            "consulted_on": "2026-11-27",
            "topic": "tort",
            "summary": "车祸",
            "handled_by": "王",
        },
    )
    assert body["street"] == "宁海路街道" and body["number"] == "2026-0001"


# Figures ------------------------------------------------------------------------------------------


def test_figures_count_consultations_cases_and_amounts_by_street_and_kind(client_for, official_user):
    # given 2026: three consultations (two in 宁海路, one anonymous in 华侨路) and one in 2025
    ConsultationFactory(consulted_on=dt.date(2026, 1, 1), topic=Topic.LABOUR)
    ConsultationFactory(person=None, street=street(), consulted_on=dt.date(2026, 11, 28), topic=Topic.FAMILY)
    ConsultationFactory(
        person=None, street=street(OTHER), consulted_on=dt.date(2026, 6, 1), topic=Topic.LABOUR
    )
    ConsultationFactory(consulted_on=dt.date(2025, 12, 31))
    # cases: opened in 2025 and closed in 2026 counts as closed (and its amount) in 2026 only
    AidCaseFactory(
        kind=AidKind.LITIGATION,
        opened_on=dt.date(2025, 10, 1),
        closed_on=dt.date(2026, 1, 10),
        outcome=Outcome.UPHELD,
        amount_recovered=Decimal("30000.50"),
    )
    AidCaseFactory(
        person=_other_person(),
        kind=AidKind.MEDIATION,
        opened_on=dt.date(2026, 2, 1),
        closed_on=dt.date(2026, 2, 1),
        outcome=Outcome.SETTLED,
        amount_recovered=Decimal("0"),
    )
    AidCaseFactory(kind=AidKind.MEDIATION, opened_on=dt.date(2026, 11, 28))  # opened today, still open
    response = client_for(official_user).get(reverse("legal_aid:figures"), {"year": 2026})

    figures = response.context["figures"]
    rows = {row.name: row for row in figures.streets}
    assert (figures.district.consultations, figures.district.cases_opened, figures.district.cases_closed) == (
        3,
        2,
        2,
    )
    assert figures.district.amount == Decimal("30000.50")
    assert (
        rows["宁海路街道"].consultations,
        rows["宁海路街道"].cases_opened,
        rows["宁海路街道"].cases_closed,
    ) == (2, 1, 1)
    assert (rows["华侨路街道"].consultations, rows["华侨路街道"].cases_opened, rows["华侨路街道"].amount) == (
        1,
        1,
        0,
    )
    kinds = {k.kind: k for k in figures.kinds}
    assert (kinds["litigation"].opened, kinds["litigation"].closed, kinds["litigation"].amount) == (
        0,
        1,
        Decimal("30000.50"),
    )
    assert (kinds["mediation"].opened, kinds["mediation"].closed) == (2, 1)
    assert dict(figures.topics)["劳动就业"] == 2
    body = response.content.decode()
    assert "30,000.50" in body and "测试人员" not in body


def test_figures_run_a_constant_number_of_queries(client_for, official_user, django_assert_num_queries):
    client = client_for(official_user)
    client.get(reverse("legal_aid:figures"))  # the session and the user's role, warmed
    for _ in range(5):
        ConsultationFactory()
        AidCaseFactory(person=_other_person(), closed_on=dt.date(2026, 4, 1), outcome=Outcome.DONE)
    # session, user, role; the streets and two grouped aggregates; the session's save (3)
    with django_assert_num_queries(9):
        client.get(reverse("legal_aid:figures"), {"year": 2026})


def test_figures_lead_back_to_the_lists_except_for_officials(client_for, clerk_user, official_user):
    back = 'data-testid="back-to-legal-aid"'

    assert back in client_for(clerk_user).get(reverse("legal_aid:figures")).content.decode()
    assert back not in client_for(official_user).get(reverse("legal_aid:figures")).content.decode()


def test_figures_year_picker_ignores_a_year_out_of_range(client_for, official_user):
    response = client_for(official_user).get(reverse("legal_aid:figures"), {"year": "1990"})
    assert response.context["year"] == 2026


# The person's section and the workbench ----------------------------------------------------------


def test_person_section_lists_the_persons_cases_and_consultations(client_for, clerk_user):
    person = PersonFactory(name="王维权")
    AidCaseFactory(person=person, subject="赡养纠纷")
    ConsultationFactory(person=person, summary="遗嘱公证流程")
    AidCaseFactory(subject="别人的案件")
    client = client_for(clerk_user)

    response = client.get(reverse("legal_aid:person_section", args=[person.pk]), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "赡养纠纷" in body and "遗嘱公证流程" in body and "别人的案件" not in body
    assert f"?person={person.pk}" in body
    form = client.get(reverse("legal_aid:case_create"), {"person": person.pk})
    assert form.context["form"].initial["id_number"] == person.id_number
    other = _other_person()
    assert client.get(reverse("legal_aid:case_create"), {"person": other.pk}).status_code == 404


@pytest.mark.parametrize("url_name", ["legal_aid:case_create", "legal_aid:consultation_create"])
def test_a_form_opened_for_a_person_logs_the_read_of_that_person(url_name, client_for, clerk_user):
    # the form is filled in with the person's full ID number: a read of person data (access.md)
    person = PersonFactory()
    client = client_for(clerk_user)

    filled = client.get(reverse(url_name), {"person": person.pk})
    blank = client.get(reverse(url_name))

    assert filled.status_code == 200 and person.id_number in filled.content.decode()
    assert blank.status_code == 200
    logged = AccessLog.objects.get()
    assert (logged.user, logged.person, logged.action) == (clerk_user, person, AccessLog.Action.EDIT)


def test_workbench_counts_the_clerks_cases_open_more_than_90_days(clerk_user):
    from core import workbench

    AidCaseFactory(opened_on=dt.date(2026, 8, 29))
    AidCaseFactory(opened_on=dt.date(2026, 8, 30))
    AidCaseFactory(person=_other_person(), opened_on=dt.date(2026, 1, 5))
    entry = next(e for e in workbench.entries_for(clerk_user, 2026) if e.key == "legal_aid_long_open")
    assert entry.count == 1 and entry.url.endswith("?state=long_open")
