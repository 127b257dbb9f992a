"""issue 14: 应享未享 as a list, one-click registration with the standard pre-filled, and the
monthly amount a new monthly grant needs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from payments.tests.factories import StandardFactory
from registry.models import Grade, LowIncomeType
from registry.tests.factories import PersonFactory, SurveyFactory, street
from subsidies.models import Grant, GrantKind
from subsidies.selectors import missing_entitlements, persons_missing_entitlements
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.usefixtures("frozen_today")
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_set_based_missing_entitlements_matches_the_person_hints(clerk_user):
    own = street("宁海路街道")
    nursing = PersonFactory(street=own, grade=Grade.FIRST)
    living_old_survey = PersonFactory(street=own, grade=Grade.FOURTH)
    SurveyFactory(person=living_old_survey, year=2024, low_income_type=LowIncomeType.DIBAO)
    served = PersonFactory(street=own, grade=Grade.FIRST)
    GrantFactory(person=served, kind=GrantKind.NURSING_ALLOWANCE, start_month=dt.date(2025, 1, 1))
    not_low_income = PersonFactory(street=own, grade=Grade.FOURTH)
    SurveyFactory(person=not_low_income, year=2026, low_income_type=LowIncomeType.NONE)
    SurveyFactory(person=not_low_income, year=2025, low_income_type=LowIncomeType.DIBAO)
    PersonFactory(street=street("华侨路街道"), grade=Grade.FIRST)  # another street: not counted

    found = set(persons_missing_entitlements(clerk_user).values_list("pk", flat=True))

    assert found == {nursing.pk, living_old_survey.pk}
    for person in (nursing, living_old_survey, served, not_low_income):
        assert bool([h for h in missing_entitlements(person) if h.kind]) == (person.pk in found)


def test_missing_list_page_lists_the_persons_with_a_register_button(client_for, clerk_user):
    person = PersonFactory(street=street("宁海路街道"), grade=Grade.SECOND, name="待登记人员")

    response = client_for(clerk_user).get(reverse("subsidies:missing_list"))

    html = response.content.decode()
    assert "待登记人员" in html
    create = reverse("subsidies:grant_create", args=[person.pk])
    assert f"{create}?kind=nursing&amp;start_month=2026-11" in html


def test_hint_button_opens_the_grant_form_filled_with_kind_month_and_standard(client_for, clerk_user):
    StandardFactory(
        kind=GrantKind.NURSING_ALLOWANCE, monthly_amount=Decimal("80.00"), effective_month=dt.date(2020, 1, 1)
    )
    StandardFactory(
        kind=GrantKind.NURSING_ALLOWANCE,
        monthly_amount=Decimal("100.00"),
        effective_month=dt.date(2026, 1, 1),
    )
    person = PersonFactory(street=street("宁海路街道"), grade=Grade.FIRST)
    client = client_for(clerk_user)

    section = client.get(reverse("subsidies:person_section", args=[person.pk]), **HTMX).content.decode()
    assert 'data-testid="hint-register"' in section

    form = client.get(
        reverse("subsidies:grant_create", args=[person.pk]) + "?kind=nursing&start_month=2026-11", **HTMX
    ).context["form"]

    assert form.initial["kind"] == "nursing"
    assert form.initial["start_month"] == "2026-11"
    assert form.initial["monthly_amount"] == Decimal("100.00")


def test_new_monthly_grant_without_amount_is_refused_by_the_form(client_for, clerk_user):
    person = PersonFactory(street=street("宁海路街道"))

    response = client_for(clerk_user).post(
        reverse("subsidies:grant_create", args=[person.pk]), {"kind": "living", "start_month": "2026-11"}
    )

    assert "请填写月标准（元）" in response.content.decode()
    assert not Grant.objects.exists()


def test_existing_monthly_grant_without_amount_can_still_be_edited(client_for, clerk_user):
    grant = GrantFactory(
        person__street=street("宁海路街道"),
        kind=GrantKind.LIVING_ALLOWANCE,
        monthly_amount=None,
        start_month=dt.date(2025, 1, 1),
    )

    client_for(clerk_user).post(
        reverse("subsidies:grant_update", args=[grant.pk]),
        {"kind": "living", "start_month": "2025-01", "end_month": "2026-10"},
    )

    grant.refresh_from_db()
    assert grant.end_month == dt.date(2026, 10, 1)


def test_grant_form_carries_the_standards_in_force_for_the_script(client_for, clerk_user):
    StandardFactory(
        kind=GrantKind.LIVING_ALLOWANCE, monthly_amount=Decimal("120.00"), effective_month=dt.date(2026, 1, 1)
    )
    StandardFactory(
        kind=GrantKind.LIVING_ALLOWANCE, monthly_amount=Decimal("130.00"), effective_month=dt.date(2027, 1, 1)
    )
    person = PersonFactory(street=street("宁海路街道"))

    html = client_for(clerk_user).get(reverse("subsidies:grant_create", args=[person.pk])).content.decode()

    assert 'data-standards="{&quot;living&quot;: &quot;120.00&quot;}"' in html
    assert "困难残疾人生活补贴 120.00元" in html
