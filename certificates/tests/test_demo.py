"""Demo 办证申请: a year in every state, some overdue, one appeal."""

import random

import pytest
from django.conf import settings

from certificates.demo import generate_demo
from certificates.models import Application, ApplicationState, ApplicationStep
from core.periods import today
from registry.models import Person
from registry.tests.factories import generate_registry

pytestmark = pytest.mark.django_db


def test_demo_has_a_year_of_applications_in_every_state_some_overdue_and_one_appeal():
    generate_registry(600, seed=5)
    persons = Person.objects.count()

    result = generate_demo(rng=random.Random(3))

    states = set(Application.objects.values_list("state", flat=True))
    assert {
        ApplicationState.RECEIVED,
        ApplicationState.ASSESSED,
        ApplicationState.STREET_REVIEWED,
        ApplicationState.ISSUED,
        ApplicationState.REFUSED,
    } <= states
    assert ApplicationStep.objects.filter(kind="appeal").count() == 1
    assert Application.objects.overdue_on(today(), settings.CERTIFICATE_DECISION_WORKING_DAYS).exists()
    assert result["申请"] > 150
    assert Person.objects.filter(certificate_applications__state=ApplicationState.ISSUED).exists()
    # the register keeps the persons the registry demo made: issues of the last year are backfilled
    assert Person.objects.count() == persons
    received = Application.objects.values_list("received_on", flat=True)
    assert (today() - min(received)).days <= 366
