"""Celery tasks: the monthly draft rolls (scheduled in settings.CELERY_BEAT_SCHEDULE, 03:00 on the 1st)."""

from __future__ import annotations

import logging

from celery import shared_task

from core.periods import first_of_month, today
from payments import services

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=30 * 60, time_limit=32 * 60)
def build_monthly_rolls(month: str | None = None) -> dict:
    """Build the draft roll of every street for `month` (default: this month). Rolls already
    submitted or approved are left alone by the service."""
    month_date = services.parse_month(month) if month else first_of_month(today())
    rolls = services.rolls_build_all(month=month_date)
    logger.info("built %d draft payment rolls for %s", len(rolls), f"{month_date:%Y-%m}")
    return {"month": f"{month_date:%Y-%m}", "drafts": len(rolls)}
