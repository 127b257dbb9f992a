"""The grant list and the person section: scoping, filters, inline forms, bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse

from registry.models import Grade, PersonStatus
from registry.tests.factories import PersonFactory, street
from subsidies.forms import GrantForm
from subsidies.models import Grant, GrantKind
from subsidies.tests.factories import GrantFactory
from tests.assertions import (
    assert_form_refuses,
    assert_redirects_to_the_person,
    list_own_street_only,
    names_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
HTMX = {"HTTP_HX_REQUEST": "true"}
OTHER = "华侨路街道"


# ---- list page


def test_clerk_lists_grants_of_his_street_only(client_for, clerk_user):
    list_own_street_only(client_for(clerk_user), reverse("subsidies:grant_list"), GrantFactory)


def test_clerk_cannot_widen_his_list_with_the_street_filter(client_for, clerk_user):
    other = GrantFactory(person__street=street(OTHER))

    response = client_for(clerk_user).get(reverse("subsidies:grant_list"), {"street": other.person.street_id})

    assert names_in(response) == set()
    assert "street" not in response.context["filter"].form.fields


def test_staff_filters_by_street_kind_year_and_status(client_for, staff_user):
    GrantFactory(person__name="华侨路护理", person__street=street(OTHER))
    GrantFactory(person__name="宁海路护理")
    GrantFactory(person__name="华侨路低保", person__street=street(OTHER), kind=GrantKind.DIBAO)
    GrantFactory(
        person__name="华侨路已停发",
        person__street=street(OTHER),
        start_month=dt.date(2020, 1, 1),
        end_month=dt.date(2022, 1, 1),
    )
    client = client_for(staff_user)
    url = reverse("subsidies:grant_list")
    other_pk = street(OTHER).pk

    assert names_in(client.get(url, {"street": other_pk, "kind": "nursing", "status": "active"})) == {
        "华侨路护理"
    }
    assert names_in(client.get(url, {"street": other_pk, "status": "ended"})) == {"华侨路已停发"}
    # 2022: the grant that ended in January 2022 was still paid that year
    assert "华侨路已停发" in names_in(client.get(url, {"year": 2022}))
    assert "华侨路已停发" not in names_in(client.get(url, {"year": 2023}))


def test_full_id_number_finds_the_person(client_for, clerk_user):
    wanted = GrantFactory()
    GrantFactory()

    response = client_for(clerk_user).get(reverse("subsidies:grant_list"), {"q": wanted.person.id_number})

    assert names_in(response) == {wanted.person.name}


def test_list_links_names_to_the_person(client_for, clerk_user):
    grant = GrantFactory()

    body = client_for(clerk_user).get(reverse("subsidies:grant_list")).content.decode()

    assert reverse("registry:person_detail", args=[grant.person_id]) in body


def test_list_page_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(30):
        GrantFactory(person__street=street(OTHER))
    client = client_for(staff_user)
    client.get(reverse("subsidies:grant_list"))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("subsidies:grant_list"), {"kind": "nursing", "year": 2025})
    assert len(response.context["page_obj"]) == 30


def test_list_shows_export_link_with_the_filters(client_for, clerk_user):
    response = client_for(clerk_user).get(reverse("subsidies:grant_list"), {"kind": "nursing", "page": 1})

    export = reverse("imports:export")
    assert response.context["export_url"] == f"{export}?resource=subsidies&kind=nursing"


# ---- person section


def test_section_shows_the_nursing_hint_for_an_eligible_person(client_for, clerk_user):
    person = PersonFactory(grade=Grade.FIRST)

    response = client_for(clerk_user).get(reverse("subsidies:person_section", args=[person.pk]), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="entitlement-hint" data-kind="nursing"' in body
    assert "<html" not in body  # a fragment for htmx


def test_section_without_htmx_is_a_full_page(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).get(reverse("subsidies:person_section", args=[person.pk]))

    assert "<html" in response.content.decode()


def test_htmx_create_returns_the_section_with_the_grant_and_without_the_hint(client_for, clerk_user):
    person = PersonFactory(grade=Grade.FIRST)
    url = reverse("subsidies:grant_create", args=[person.pk])

    response = client_for(clerk_user).post(
        url, {"kind": "nursing", "start_month": "2026-11", "monthly_amount": "150"}, **HTMX
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="grant-row" data-kind="nursing"' in body
    assert 'data-kind="nursing"' in body and "应享未享" not in body
    grant = Grant.objects.get(person=person)
    assert grant.start_month == dt.date(2026, 11, 1)
    assert grant.history.get().history_user == clerk_user


def test_htmx_get_of_the_create_url_opens_the_form_inside_the_section(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).get(reverse("subsidies:grant_create", args=[person.pk]), **HTMX)

    body = response.content.decode()
    assert 'id="subsidies-section"' in body and 'data-testid="grant-form"' in body


def test_plain_create_redirects_to_the_person(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        reverse("subsidies:grant_create", args=[person.pk]), {"kind": "dibao", "start_month": "2025年3月"}
    )

    assert_redirects_to_the_person(response, person.pk)
    assert Grant.objects.get(person=person).start_month == dt.date(2025, 3, 1)


def test_invalid_create_shows_chinese_errors_and_saves_nothing(client_for, clerk_user):
    person = PersonFactory()

    assert_form_refuses(
        client_for(clerk_user),
        reverse("subsidies:grant_create", args=[person.pk]),
        {"kind": "dibao", "start_month": "2025-03", "end_month": "2025-01"},
        "结束月份不能早于开始月份",
        **HTMX,
    )
    assert not Grant.objects.exists()


def test_the_form_gives_a_negative_amount_to_the_amount():
    form = GrantForm({"kind": "dibao", "start_month": "2025-03", "monthly_amount": "-5"}, instance=Grant())

    assert not form.is_valid()
    assert form.errors == {"monthly_amount": ["金额不能为负数"]}


def test_negative_amount_is_shown_under_the_amount_input(client_for, clerk_user):
    person = PersonFactory()

    response = client_for(clerk_user).post(
        reverse("subsidies:grant_create", args=[person.pk]),
        {"kind": "dibao", "start_month": "2025-03", "monthly_amount": "-5"},
        **HTMX,
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"monthly_amount": ["金额不能为负数"]} and not form.non_field_errors()
    amount = form["monthly_amount"]
    assert 'aria-invalid="true"' in str(amount) and "is-invalid" in str(amount)
    assert '<div class="invalid-feedback d-block">金额不能为负数</div>' in response.content.decode()
    assert not Grant.objects.exists()


def test_duplicate_create_shows_the_constraint_message(client_for, clerk_user):
    grant = GrantFactory(start_month=dt.date(2025, 3, 1))

    assert_form_refuses(
        client_for(clerk_user),
        reverse("subsidies:grant_create", args=[grant.person_id]),
        {"kind": grant.kind, "start_month": "2025-03", "monthly_amount": "200"},
        "该人员已有同一项目、同一开始月份的补贴记录",
    )
    assert Grant.objects.count() == 1


def test_update_changes_the_grant_through_htmx(client_for, clerk_user):
    grant = GrantFactory(start_month=dt.date(2024, 1, 1))

    response = client_for(clerk_user).post(
        reverse("subsidies:grant_update", args=[grant.pk]),
        {"kind": grant.kind, "start_month": "2024-02", "monthly_amount": "200"},
        **HTMX,
    )

    assert response.status_code == 200
    grant.refresh_from_db()
    assert grant.start_month == dt.date(2024, 2, 1) and grant.history.latest().history_user == clerk_user


def end_in_the_section(client, grant, end_month: str):
    """Posts the end form of `grant`'s row in the person's section."""
    return client.post(reverse("subsidies:grant_end", args=[grant.pk]), {"end_month": end_month}, **HTMX)


def test_end_sets_the_end_month_and_keeps_the_grant(client_for, clerk_user):
    grant = GrantFactory(start_month=dt.date(2024, 1, 1))

    response = end_in_the_section(client_for(clerk_user), grant, "2026-11")

    assert "已停发" in response.content.decode()
    grant.refresh_from_db()
    assert grant.end_month == dt.date(2026, 11, 1)


def test_end_before_start_is_reported_in_the_section(client_for, clerk_user):
    grant = GrantFactory(start_month=dt.date(2024, 5, 1))

    response = end_in_the_section(client_for(clerk_user), grant, "2024-04")

    assert "停发失败：结束月份不能早于开始月份" in response.content.decode()
    grant.refresh_from_db()
    assert grant.end_month is None


@pytest.mark.parametrize(
    ("name", "method", "by_person"),
    [
        ("subsidies:person_section", "get", True),
        ("subsidies:grant_create", "post", True),
        ("subsidies:grant_update", "post", False),
        ("subsidies:grant_end", "post", False),
    ],
)
def test_clerk_cannot_touch_a_person_of_another_street(client_for, clerk_user, name, method, by_person):
    grant = GrantFactory(person__street=street(OTHER), start_month=dt.date(2024, 1, 1))
    arg = grant.person_id if by_person else grant.pk
    data = {"kind": "nursing", "start_month": "2025-01", "end_month": "2025-01"}

    response = getattr(client_for(clerk_user), method)(reverse(name, args=[arg]), data, **HTMX)

    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.end_month is None and Grant.objects.count() == 1


def test_official_gets_404_on_the_section(client_for, official_user):
    person = PersonFactory()

    assert (
        client_for(official_user).get(reverse("subsidies:person_section", args=[person.pk])).status_code
        == 404
    )


def test_section_runs_a_bounded_number_of_queries(client_for, clerk_user, django_assert_max_num_queries):
    person = PersonFactory(grade=Grade.FIRST, status=PersonStatus.ACTIVE)
    for year in range(2015, 2026):
        GrantFactory(person=person, kind=GrantKind.TEMPORARY_AID, start_month=dt.date(year, 3, 1))
    client = client_for(clerk_user)
    url = reverse("subsidies:person_section", args=[person.pk])
    client.get(url, **HTMX)

    # session, user, role, profile, street (5) + person, grants, survey (3) + session save (3)
    with django_assert_max_num_queries(12):  # +1: the access-log row
        response = client.get(url, **HTMX)
    assert response.content.decode().count('data-testid="grant-row"') == 11
