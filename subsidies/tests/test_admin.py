"""Grants are ended, never deleted, in the admin too (scoping and saves: tests/test_record_admins.py)."""

import pytest
from django.urls import reverse

from registry.tests.factories import PersonFactory
from subsidies.models import Grant
from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


def test_admin_cannot_delete_grants(client_for, admin_user):
    grant = GrantFactory()

    response = client_for(admin_user).get(reverse("admin:subsidies_grant_delete", args=[grant.pk]))

    assert response.status_code == 403


def test_admin_form_shows_a_negative_amount_under_the_amount(client_for, admin_user):
    data = {
        "person": PersonFactory().pk,
        "kind": "dibao",
        "start_month": "2025-03-01",
        "monthly_amount": "-5",
    }

    response = client_for(admin_user).post(reverse("admin:subsidies_grant_add"), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"monthly_amount": ["金额不能为负数"]}
    assert not Grant.objects.exists()
