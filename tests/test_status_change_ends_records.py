"""A status change (死亡/迁出/注销) offers the person's running grants, placements and employment,
checked by default, and ends the chosen ones; the person page warns while anything still runs."""

import datetime as dt

import pytest
from django.urls import reverse

from care_homes.tests.factories import PlacementFactory
from employment.tests.factories import EmploymentFactory
from registry import running, services
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-03-20 10:00:00")]


def _person_with_records():
    person = PersonFactory()
    grant = GrantFactory(person=person, start_month=dt.date(2024, 1, 1))
    placement = PlacementFactory(person=person)
    employment = EmploymentFactory(person=person)
    return person, grant, placement, employment


def test_registry_status_change_imports_no_domain_app():
    import pathlib

    for name in ("running.py", "services.py", "views.py", "forms.py"):
        text = (pathlib.Path("registry") / name).read_text()
        for app in ("subsidies", "care_homes", "employment", "payments"):
            assert f"from {app}" not in text and f"import {app}" not in text, (name, app)


def test_every_domain_registers_its_running_records():
    person, grant, placement, employment = _person_with_records()

    keys = [record.key for record in running.running_records(person, after=dt.date(2025, 3, 20))]

    assert sorted(keys) == sorted(
        [f"grant:{grant.pk}", f"placement:{placement.pk}", f"employment:{employment.pk}"]
    )


def test_status_form_lists_running_records_checked_by_default(client, clerk_user):
    person, grant, _, _ = _person_with_records()
    client.force_login(clerk_user)

    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()

    assert 'data-testid="end-records"' in page
    assert f'value="grant:{grant.pk}"' in page
    assert page.count('name="end_records"') == 3
    assert page.count("checked") >= 3


def test_death_ends_chosen_records_grants_at_month_records_at_date(client, clerk_user):
    person, grant, placement, employment = _person_with_records()
    client.force_login(clerk_user)

    client.post(
        reverse("registry:person_status", args=[person.pk]),
        {
            "status": PersonStatus.DECEASED,
            "changed_on": "2025-03-10",
            "end_records": [f"grant:{grant.pk}", f"placement:{placement.pk}", f"employment:{employment.pk}"],
        },
    )

    grant.refresh_from_db()
    placement.refresh_from_db()
    employment.refresh_from_db()
    assert grant.end_month == dt.date(2025, 3, 1)
    assert placement.end_date == dt.date(2025, 3, 10)
    assert employment.end_date == dt.date(2025, 3, 10)
    assert grant.history.first().history_user == clerk_user
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "still-running-banner" not in page


def test_records_left_running_show_a_red_banner(client, clerk_user):
    person, _grant, _, _ = _person_with_records()
    services.person_change_status(
        acting_user=clerk_user, person=person, status=PersonStatus.MOVED_OUT, changed_on=dt.date(2025, 3, 10)
    )
    client.force_login(clerk_user)

    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()

    assert 'data-testid="still-running-banner"' in page and "alert-danger" in page
    assert "重度残疾人护理补贴" in page


def test_a_key_of_another_persons_record_is_refused_and_nothing_changes(clerk_user):
    person = PersonFactory()
    other_grant = GrantFactory(start_month=dt.date(2024, 1, 1))

    with pytest.raises(Exception):  # noqa: B017 - the ValidationError rolls the whole change back
        services.person_change_status(
            acting_user=clerk_user,
            person=person,
            status=PersonStatus.DECEASED,
            changed_on=dt.date(2025, 3, 10),
            end_records=[f"grant:{other_grant.pk}"],
        )

    other_grant.refresh_from_db()
    person.refresh_from_db()
    assert other_grant.end_month is None and person.status == PersonStatus.ACTIVE
