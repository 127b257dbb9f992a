"""Every template's model has the Excel import and export buttons in the admin."""

import pytest
from django.urls import reverse

ADMINS = [
    "registry_person",
    "registry_survey",
    "subsidies_grant",
    "rehab_rehabservice",
    "employment_training",
    "employment_employment",
    "employment_graduate",
    "care_homes_carehome",
    "care_homes_placement",
    "care_homes_auxproject",
]


@pytest.mark.parametrize("admin_name", ADMINS)
def test_admin_offers_xlsx_import_and_export(admin_name, client_for, admin_user):
    client = client_for(admin_user)
    for action in ("import", "export"):
        response = client.get(reverse(f"admin:{admin_name}_{action}"))
        assert response.status_code == 200, (admin_name, action)
        assert "xlsx" in response.content.decode().lower()
