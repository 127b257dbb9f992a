"""Grants are ended, never deleted, in the admin too (scoping and saves: tests/test_record_admins.py)."""

import pytest
from django.urls import reverse

from subsidies.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


def test_admin_cannot_delete_grants(client_for, admin_user):
    grant = GrantFactory()

    response = client_for(admin_user).get(reverse("admin:subsidies_grant_delete", args=[grant.pk]))

    assert response.status_code == 403
