"""The application's state outside PostgreSQL (the SQLite quick start): `state_after_step` is the
trigger's rule in Python. Walked here on PostgreSQL, it must name the state the trigger set after
every step of a full case with an appeal."""

import datetime as dt

import pytest

from certificates import services
from certificates.models import ApplicationState, StepKind, state_after_step
from certificates.tests import factories as f

pytestmark = pytest.mark.django_db


def _python_rule_agrees_with_the_trigger(application) -> None:
    application.refresh_from_db()
    last = application.steps.order_by("sequence").last()
    appealed = application.steps.filter(kind=StepKind.APPEAL).exclude(pk=last.pk).exists()
    assert application.state == state_after_step(last.kind, last.decision, appealed=appealed)


def test_python_state_rule_follows_the_trigger_through_a_case_with_an_appeal():
    application = f.receive()
    _python_rule_agrees_with_the_trigger(application)
    f.assess(application)
    _python_rule_agrees_with_the_trigger(application)
    f.street_review(application)
    _python_rule_agrees_with_the_trigger(application)
    f.decide(application, decision="refuse", reason="未达标准", on=dt.date(2025, 3, 13))
    _python_rule_agrees_with_the_trigger(application)
    services.application_appeal(
        acting_user=f.staff(), application=application, note="不服", done_on=dt.date(2025, 5, 12)
    )
    _python_rule_agrees_with_the_trigger(application)
    f.assess(application, on=dt.date(2025, 5, 15), grade="4")
    _python_rule_agrees_with_the_trigger(application)
    assert application.state == ApplicationState.REASSESSED
    f.decide(application, on=dt.date(2025, 5, 20))
    _python_rule_agrees_with_the_trigger(application)
    assert application.state == ApplicationState.ISSUED


def test_outside_postgresql_the_step_itself_moves_the_state(monkeypatch):
    # given a database without the trigger (as SQLite): the model's save sets the state
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE certificates_applicationstep DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE certificates_application DISABLE TRIGGER USER")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    application = f.receive()
    # when the assessment is recorded
    f.assess(application)
    # then the application moved on all the same
    application.refresh_from_db()
    assert application.state == ApplicationState.ASSESSED
