"""Writes: indicator runs (snapshots), targets and reference growth rates."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from . import engine
from .locks import computation_lock
from .models import (
    GrowthSeries,
    Indicator,
    IndicatorRun,
    IndicatorValue,
    ReferenceGrowth,
    RunStatus,
    RunTrigger,
    SurveyCoverage,
    Target,
)
from .plan import ensure_plan_data
from .selectors import target_lookup

logger = logging.getLogger(__name__)

INTERRUPTED = "计算进程中断，未正常结束（例如超时被终止或服务器重启）"


class ComputationBusy(Exception):
    """Another run holds the lock."""

    def __str__(self) -> str:
        return "已有一次指标计算正在进行，请稍后再试"


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def indicator_run_execute(
    *, years: Iterable[int], trigger: str = RunTrigger.COMMAND, acting_user: AbstractBaseUser | None = None
) -> IndicatorRun:
    """Recompute every indicator for `years` and store the snapshot as a new run.

    The run row is committed first (status 计算中, visible in the run log); the values are then
    written in one transaction that also flips the run to 成功, so readers, who read succeeded runs
    only, never see half a snapshot. Raises ComputationBusy when another run holds the lock; any
    other failure marks the run 失败 with its error and is re-raised.
    """
    years = sorted({int(y) for y in years})
    with computation_lock() as acquired:
        if not acquired:
            raise ComputationBusy
        # Holding the lock, any run still marked as running was interrupted.
        IndicatorRun.objects.filter(status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now()
        )
        run = IndicatorRun.objects.create(
            started_at=timezone.now(),
            status=RunStatus.RUNNING,
            years=years,
            trigger=trigger,
            triggered_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        )
        started = time.monotonic()
        counter = _QueryCounter()
        try:
            with connection.execute_wrapper(counter), _snapshot_transaction():
                ensure_plan_data(Indicator, Target)
                computation = engine.compute(years, target_lookup())
                _store(run, computation)
                run.status = RunStatus.SUCCEEDED
                run.finished_at = timezone.now()
                run.duration = timedelta(seconds=time.monotonic() - started)
                run.query_count = counter.count + 1
                run.save(update_fields=["status", "finished_at", "duration", "query_count"])
        except BaseException as exc:
            run.status = RunStatus.FAILED
            run.error = _describe(exc)
            run.finished_at = timezone.now()
            run.duration = timedelta(seconds=time.monotonic() - started)
            run.save(update_fields=["status", "error", "finished_at", "duration"])
            logger.exception("indicator run %s failed", run.pk)
            raise
    logger.info("indicator run %s succeeded in %s (%s queries)", run.pk, run.duration, run.query_count)
    return run


class _snapshot_transaction(transaction.Atomic):
    """One transaction for reads and writes; on PostgreSQL a REPEATABLE READ snapshot (every
    indicator sees the same data). Each engine sets its own planner settings (`engine.QUERYSET_SETTINGS`,
    `engine_sql.SETTINGS`) for the rest of this transaction."""

    def __init__(self):
        super().__init__(using=None, savepoint=True, durable=False)

    def __enter__(self):
        outermost = not connection.in_atomic_block
        super().__enter__()
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _store(run: IndicatorRun, computation: engine.Computation) -> None:
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(
                run=run,
                code=row.code,
                year=row.year,
                street_id=row.street_id,
                numerator=row.numerator,
                denominator=row.denominator,
                value=row.value,
                target=row.target,
                met=row.met,
                extra=row.extra,
            )
            for row in computation.values
        ),
        batch_size=2000,
    )
    SurveyCoverage.objects.bulk_create(
        (
            SurveyCoverage(run=run, year=year, street_id=street_id, surveyed=surveyed, population=population)
            for year, street_id, surveyed, population in computation.coverage
        ),
        batch_size=2000,
    )


def _describe(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return "计算超时，已中止（超过任务软时限）"
    return f"{type(exc).__name__}: {exc}"[:2000]


@transaction.atomic
def target_set(
    *, acting_user: AbstractBaseUser, indicator: Indicator, year: int, value: Decimal | None
) -> Target | None:
    """Set an indicator's target for a year; None removes it (the plan's standing rule applies)."""
    target = Target.objects.filter(indicator=indicator, year=year).first()
    if value is None:
        if target is not None:
            target._history_user = acting_user
            target.delete()
        return None
    if target is None:
        target = Target(indicator=indicator, year=year)
    if target.pk and target.value == value:
        return target
    target.value = value
    target.full_clean()
    target._history_user = acting_user
    target.save()
    return target


@transaction.atomic
def reference_growth_set(
    *, acting_user: AbstractBaseUser, year: int, series: str | None, rate: Decimal | None
) -> ReferenceGrowth | None:
    """Enter K01's reference growth rate for a year; an empty rate removes it (no target)."""
    growth = ReferenceGrowth.objects.filter(year=year).first()
    if rate is None:
        if growth is not None:
            growth._history_user = acting_user
            growth.delete()
        return None
    if growth is None:
        growth = ReferenceGrowth(year=year)
    series = series or GrowthSeries.GDP
    if growth.pk and growth.rate == rate and growth.series == series and not growth.is_example:
        return growth
    growth.series = series
    growth.rate = rate
    growth.is_example = False  # entered (or confirmed) by staff: no longer an example
    growth.full_clean()
    growth._history_user = acting_user
    growth.save()
    return growth
