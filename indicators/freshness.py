"""Figures fresh within a minute of a change: stale marks, and the debounced recompute.

1. A change marks years stale. Every save or delete of a record the indicators read, and every
   workbook the importer writes, adds a StaleMark in the transaction of the change (a rolled-back
   change leaves none). The indicators app sits above the apps it reads and must not be imported by
   them, so it listens: post_save / post_delete of the models in RULES, and the importer's
   `records_imported` (its bulk writes send no post_save; it is sent once the workbook's
   transaction has committed, so a process killed in between leaves that import to the nightly run).
   This is cache invalidation, not domain flow: every door (page, API, admin, import, shell) passes
   through the signals.

2. After the commit, a recompute is scheduled (once per transaction, however many records it
   saved). With a Celery broker it is debounced: the first change of a burst queues
   `refresh_stale_indicators` with a countdown of INDICATORS_REFRESH_DELAY_SECONDS (30 s) and sets
   a flag in the cache (Redis in production); later changes see the flag and queue nothing. The task clears the flag before it reads the marks, so a
   change arriving during a run queues exactly one more run. Runs never overlap: the run takes the
   indicators' computation lock (indicators.locks), and a task that finds it taken queues itself
   again. With Celery eager (the quick start without a broker) there is nobody to wait for the
   countdown: the recompute runs right after the commit, in the request that made the change.

3. A run settles marks. A run reads the marks before its snapshot starts (so every change they
   record is in the snapshot), recomputes, and then, of the marks it read, deletes those whose
   tracked years (tracked_years) it all covered and narrows those it covered in part to the years
   still stale: a run of 2020–2025 (`compute_indicators`) leaves a mark "from 2023 on" as "from
   2026 on". A mark whose remaining years are no range of its own (a run of 2024 alone, for a mark
   from 2023 on) stays as it was: more years pending, never fewer. Marks are insert-only, so a
   change written meanwhile has a row of its own, not among those read, and stays for the next
   run; a run that fails deletes and narrows nothing, and the nightly full run (which settles
   marks too) remains the safety net.

Which years a change makes stale (the rule; when in doubt, more years, never fewer). Each model
names the field whose year is the first year its record can change, and every later year up to
the present can change too, because:
- K01 of Y divides by M(Y−1) and its growth since 2020 by M(2020); K02 is cumulative since 2021;
- a grant, placement, employment or project counts in every year from its start until its end
  (an open end: every later year);
- a person counts in P(Y) from the year the certificate was issued, in every indicator.
For an edited record the earlier of the old and the new year counts (a start moved from 2021 to
2023 changes 2021 and 2022 too). Targets and reference growth rates change their own year only. A
street, an indicator's standing target, and an imported workbook (whose rows may span any year)
make every year stale.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

from celery import current_app
from celery.schedules import crontab
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from .models import IndicatorRun, RunTrigger, StaleMark
from .selectors import default_years, runs_by_year
from .services import ComputationBusy, indicator_run_execute

logger = logging.getLogger(__name__)

EVERY_YEAR = 0  # from_year of a change that can alter any year

# The debounce flag: set while a refresh is queued. It expires on its own, so a task lost by the
# broker holds back the next change's refresh for a minute or two, never for good.
SCHEDULED_KEY = "indicators:refresh-scheduled"
FLAG_MARGIN_SECONDS = 60


@dataclass(frozen=True)
class Rule:
    """`field`: the field whose year is the first year a record can change (None: every year).
    `own_year_only`: the record changes that year alone (targets)."""

    field: str | None
    own_year_only: bool = False


# Every table indicators.engine reads, plus the targets a run stores with its values.
RULES: dict[str, Rule] = {
    "registry.Person": Rule("issued_on"),
    "core.Street": Rule(None),
    "registry.Survey": Rule("year"),
    "subsidies.Grant": Rule("start_month"),
    "employment.Training": Rule("start_date"),
    "employment.Employment": Rule("start_date"),
    "employment.Graduate": Rule("graduation_year"),
    "rehab.RehabService": Rule("service_date"),
    "care_homes.CareHome": Rule("opened_on"),
    "care_homes.Placement": Rule("start_date"),
    "care_homes.AuxProject": Rule("start_date"),
    "indicators.Indicator": Rule(None),
    "indicators.Target": Rule("year", own_year_only=True),
    "indicators.ReferenceGrowth": Rule("year", own_year_only=True),
}

_PREVIOUS = "_indicators_previous_year"


def _year(value) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    return int(value) if value is not None else None


def stale_range(rule: Rule, years: Iterable[int | None]) -> tuple[int, int | None]:
    """(from_year, to_year or None for "up to the present") for a record whose rule field had
    `years` (old and new value)."""
    known = [y for y in years if y is not None]
    if rule.field is None or not known:
        return EVERY_YEAR, None
    if rule.own_year_only:
        return min(known), max(known)
    return min(known), None


# ---------------------------------------------------------------------------------------------
# Marking


def mark_stale(*, from_year: int, to_year: int | None = None, source: str, using: str = "default") -> None:
    """Record that the years from `from_year` to `to_year` (None: to the present) need a recompute,
    and schedule one once the current transaction commits."""
    StaleMark.objects.using(using).create(from_year=from_year, to_year=to_year, source=source[:60])
    connection = transaction.get_connection(using)
    # One schedule per transaction, however many records it saves (a cascade, a demo step). Django
    # drops the callbacks of a rolled-back savepoint from run_on_commit, so a callback found there
    # will run if this mark is committed.
    if connection.in_atomic_block and any(
        entry[1] is schedule_refresh for entry in getattr(connection, "run_on_commit", [])
    ):
        return
    transaction.on_commit(schedule_refresh, using=using, robust=True)


def _remember_previous_year(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    rule = RULES[sender._meta.label]
    if rule.field is None or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and rule.field not in update_fields:
        return
    previous = (
        sender._base_manager.using(using).filter(pk=instance.pk).values_list(rule.field, flat=True).first()
    )
    instance.__dict__[_PREVIOUS] = _year(previous)


def _record_changed(sender, instance, using="default", **kwargs):
    rule = RULES[sender._meta.label]
    current = _year(getattr(instance, rule.field)) if rule.field else None
    previous = instance.__dict__.pop(_PREVIOUS, None)
    from_year, to_year = stale_range(rule, [current, previous])
    mark_stale(from_year=from_year, to_year=to_year, source=sender._meta.label, using=using)


def _records_imported(sender, **kwargs):
    if isinstance(sender, type) and sender._meta.label in RULES:
        mark_stale(from_year=EVERY_YEAR, source=f"import:{sender._meta.label}")


def connect_signals() -> None:
    """Called from IndicatorsConfig.ready()."""
    from sheets.signals import records_imported

    for label in RULES:
        model = apps.get_model(label)
        uid = f"indicators.freshness:{label}"
        pre_save.connect(_remember_previous_year, sender=model, dispatch_uid=uid)
        post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
    records_imported.connect(_records_imported, dispatch_uid="indicators.freshness:import")


# ---------------------------------------------------------------------------------------------
# Reading marks


def tracked_years() -> set[int]:
    """The years a change can make stale on the dashboard: those the nightly run computes and those
    the dashboard shows (a year computed on the command line too)."""
    return {*default_years(), *runs_by_year()}


def _covered(marks: list[StaleMark], years: Iterable[int]) -> set[int]:
    return {y for y in years if any(mark.covers(y) for mark in marks)}


# ---------------------------------------------------------------------------------------------
# What the pages promise


NIGHTLY_TASK = "indicators.tasks.recompute_indicators"


def nightly_time() -> str | None:
    """When the nightly full run starts, read from CELERY_BEAT_SCHEDULE ("每日凌晨2:00"), or None
    when no single daily time is scheduled."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry.get("schedule")
        if entry.get("task") != NIGHTLY_TASK or not isinstance(schedule, crontab):
            continue
        every_day = (
            len(schedule.day_of_week) == 7
            and len(schedule.day_of_month) == 31
            and len(schedule.month_of_year) == 12
        )
        if len(schedule.hour) == 1 and len(schedule.minute) == 1 and every_day:
            (hour,), (minute,) = schedule.hour, schedule.minute
            return f"每日{'凌晨' if hour < 6 else ''}{hour}:{minute:02d}"
    return None


def refresh_notice() -> dict:
    """For the pages that say when figures follow a change: `on` (INDICATORS_REFRESH_ON_CHANGE),
    `minutes` (the debounce delay rounded up to whole minutes, at least one) and `nightly`."""
    delay = settings.INDICATORS_REFRESH_DELAY_SECONDS
    return {
        "on": bool(settings.INDICATORS_REFRESH_ON_CHANGE),
        "minutes": max(1, math.ceil(delay / 60)),
        "nightly": nightly_time(),
    }


# ---------------------------------------------------------------------------------------------
# Running


def run_and_settle(
    *, years: Iterable[int] | None = None, trigger: str, acting_user=None
) -> IndicatorRun | None:
    """Recompute `years` (default: the stale ones; None returned when nothing is stale) and settle
    the marks read before the run: deleted when the run covered their tracked years, narrowed when
    it covered their first (or last) ones. Raises what
    indicator_run_execute raises (ComputationBusy, a failure), deleting no mark then."""
    # Read before the run's snapshot begins: every change these marks record is in the snapshot.
    marks = list(StaleMark.objects.all())
    universe = tracked_years()
    if years is None:
        years = _covered(marks, universe)
        if not years:
            _delete(marks)  # nothing shown or computed is stale (e.g. only next year's target)
            return None
    run = indicator_run_execute(years=years, trigger=trigger, acting_user=acting_user)
    _settle(marks, universe, set(run.years))
    return run


def _settle(marks: list[StaleMark], universe: set[int], computed: set[int]) -> None:
    """Delete the marks whose tracked years were all computed; narrow a mark whose first (or, when
    bounded, last) tracked years were computed to the years still stale; keep the others."""
    done = []
    for mark in marks:
        affected = _covered([mark], universe)
        stale = affected - computed
        if not stale:
            done.append(mark)
        elif min(stale) > min(affected) or (mark.to_year is not None and max(stale) < max(affected)):
            _narrow(mark, min(stale), max(stale) if mark.to_year is not None else None)
        # else: the computed years lie inside the stale ones ("from 2023 on" less 2024 is no range)
    _delete(done)


def _narrow(mark: StaleMark, from_year: int, to_year: int | None) -> None:
    """Marks are insert-only (a change during the run writes a new row), so no change is lost here;
    the update applies only if the row still holds the years read (a later run may have narrowed it
    further), so it can only leave more years stale, never fewer."""
    StaleMark.objects.filter(pk=mark.pk, from_year=mark.from_year, to_year=mark.to_year).update(
        from_year=from_year, to_year=to_year
    )


def _delete(marks: list[StaleMark]) -> None:
    if marks:
        StaleMark.objects.filter(pk__in=[mark.pk for mark in marks]).delete()


def refresh_stale() -> dict:
    """The debounced run (tasks.refresh_stale_indicators): recompute the stale years. Never raises."""
    cache.delete(SCHEDULED_KEY)  # from here on, a change queues one more run
    try:
        run = run_and_settle(trigger=RunTrigger.CHANGE)
    except ComputationBusy:
        if _eager():
            # No worker to come back later: the marks stay, shown as pending, for the next change
            # or the nightly run.
            logger.warning("stale indicator years not recomputed: another run is in progress")
        else:
            logger.info("indicator run in progress: the refresh of stale years is queued again")
            schedule_refresh()
        return {"status": "busy"}
    except Exception as exc:
        logger.error("recompute of stale indicator years failed: %s", exc)
        return {"status": "failed", "error": str(exc)}
    if run is None:
        return {"status": "fresh"}
    return {"status": "succeeded", "run": run.pk, "years": run.years}


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def schedule_refresh() -> None:
    """After a commit that marked years stale: queue one debounced refresh unless one is queued
    (with Celery eager: refresh now). Never raises: the change is committed and its mark kept."""
    if not settings.INDICATORS_REFRESH_ON_CHANGE:
        return
    if _eager():
        refresh_stale()
        return
    delay = settings.INDICATORS_REFRESH_DELAY_SECONDS
    try:
        if not cache.add(SCHEDULED_KEY, True, timeout=delay + FLAG_MARGIN_SECONDS):
            return  # a refresh is queued and will read this change's mark
    except Exception:
        logger.warning("cache unavailable: refresh of stale indicator years queued without debounce")
    from .tasks import refresh_stale_indicators

    try:
        refresh_stale_indicators.apply_async(countdown=delay)
    except Exception:
        logger.exception("could not queue the refresh of stale indicator years")
        with contextlib.suppress(Exception):  # else the flag expires on its own
            cache.delete(SCHEDULED_KEY)
