import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings
from freezegun import freeze_time

from payments import services
from payments.models import Roll, RollLine, RollState
from payments.tasks import build_monthly_rolls
from registry.tests.factories import street
from subsidies.tests.factories import GrantFactory


def test_monthly_rolls_are_scheduled_at_three_on_the_first():
    entry = settings.CELERY_BEAT_SCHEDULE["build-payment-rolls-monthly"]

    assert entry["task"] == "payments.tasks.build_monthly_rolls"
    assert entry["schedule"] == crontab(hour=3, minute=0, day_of_month=1)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_task_builds_drafts_of_this_month_and_never_overwrites_a_submitted_roll(clerk_user):
    with freeze_time("2025-03-01 03:00:00+08:00"):
        GrantFactory(start_month=dt.date(2025, 1, 1))
        submitted = services.roll_build(acting_user=clerk_user, street=street(), month=dt.date(2025, 3, 1))
        services.roll_submit(acting_user=clerk_user, roll=submitted)
        GrantFactory(start_month=dt.date(2025, 1, 1))

        result = build_monthly_rolls()

    assert result == {"month": "2025-03", "drafts": 12}
    assert Roll.objects.get(pk=submitted.pk).state == RollState.SUBMITTED
    assert RollLine.objects.filter(roll=submitted).count() == 1
