"""Celery tasks: the nightly recomputation (scheduled in settings.CELERY_BEAT_SCHEDULE, 02:00) and the
debounced recomputation of the years a change made stale (indicators/freshness.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from . import freshness
from .models import RunTrigger
from .selectors import default_years
from .services import ComputationBusy

logger = logging.getLogger(__name__)

# 1,000,000 persons take well under a minute; the limits only stop a runaway run.
SOFT_TIME_LIMIT = 30 * 60
HARD_TIME_LIMIT = SOFT_TIME_LIMIT + 120


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=HARD_TIME_LIMIT, acks_late=False)
def recompute_indicators(years: list[int] | None = None, triggered_by_id: int | None = None) -> dict:
    """Recompute K01–K12 and store a snapshot. Safe to re-run: each run is a new snapshot. The run
    settles the stale marks it covers (the nightly run is the safety net of the debounced one).

    Never raises: a failure is logged and recorded on the run (shown in the run log), and a run
    that finds another one in progress is skipped.
    """
    user = get_user_model().objects.filter(pk=triggered_by_id).first() if triggered_by_id else None
    trigger = RunTrigger.MANUAL if user is not None else RunTrigger.NIGHTLY
    try:
        run = freshness.run_and_settle(years=years or default_years(), trigger=trigger, acting_user=user)
    except ComputationBusy:
        logger.warning("indicator recomputation skipped: another run is in progress")
        return {"status": "skipped"}
    except Exception as exc:
        logger.error("indicator recomputation failed: %s", exc)
        return {"status": "failed", "error": str(exc)}
    return {"status": "succeeded", "run": run.pk}


@shared_task(
    name="indicators.tasks.refresh_stale_indicators",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
    acks_late=False,
)
def refresh_stale_indicators() -> dict:
    """Recompute the years changes made stale, queued (debounced) by freshness.schedule_refresh.
    Never raises; at most one run at a time (a busy lock queues it again)."""
    return freshness.refresh_stale()
