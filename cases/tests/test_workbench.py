"""The overdue and due-soon counts on the 工作台, scoped like the lists they link to."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-06-30 10:00:00")]


def test_workbench_counts_overdue_and_due_soon_cases_of_the_clerks_street(
    client_for, clerk_user, own_street, other_street
):
    for deadline in (dt.date(2025, 6, 27), dt.date(2025, 6, 20)):
        CaseFactory(street=own_street, received_on=dt.date(2025, 6, 2), deadline=deadline)
    CaseFactory(street=own_street, received_on=dt.date(2025, 6, 2), deadline=dt.date(2025, 7, 3))  # due soon
    CaseFactory(street=own_street, received_on=dt.date(2025, 6, 2), deadline=dt.date(2025, 7, 4))  # later
    CaseFactory(street=other_street, received_on=dt.date(2025, 6, 2), deadline=dt.date(2025, 6, 27))

    response = client_for(clerk_user).get(reverse("registry:workbench"))

    entries = {entry.key: entry for entry in response.context["entries"]}
    assert entries["cases_overdue"].count == 2 and entries["cases_overdue"].url == reverse(
        "cases:overdue_list"
    )
    assert entries["cases_due_soon"].count == 1 and entries["cases_due_soon"].url == reverse(
        "cases:due_soon_list"
    )
