"""`python manage.py compute_indicators [--year Y ...] [--json]` (shared/spec/indicators.md)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone

from indicators.freshness import run_and_settle
from indicators.models import RunTrigger
from indicators.plan import PLAN_YEARS
from indicators.services import ComputationBusy


def _number(value):
    """Counts print as integers (412, not 412.0); rates and means keep full precision."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@contextmanager
def _logging_kept_off_stdout() -> Iterator[None]:
    """With --json, stdout carries the document alone: log handlers writing there move to stderr."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logging.root.manager.loggerDict)]
    moved = []
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stdout, sys.__stdout__):
                moved.append((handler, handler.setStream(sys.stderr)))
    try:
        yield
    finally:
        for handler, stream in moved:
            handler.setStream(stream)


class Command(BaseCommand):
    help = "重新计算十四五规划12项主要指标（K01–K12），保存计算批次；--json 输出机器可读结果。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            dest="years",
            action="append",
            type=int,
            metavar="Y",
            help="只计算指定年度（可重复）；默认2020—2025年",
        )
        parser.add_argument("--json", action="store_true", help="在标准输出打印一个JSON文档")

    def handle(self, *args, years=None, json=False, **options):
        years = sorted(set(years or PLAN_YEARS))
        if any(y < 2000 or y > timezone.localdate().year for y in years):
            raise CommandError("年度应在2000年至今年之间")
        try:
            if json:
                with _logging_kept_off_stdout():
                    run = run_and_settle(years=years, trigger=RunTrigger.COMMAND)
            else:
                run = run_and_settle(years=years, trigger=RunTrigger.COMMAND)
        except ComputationBusy as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(self._document(run), ending="\n")
        else:
            self.stderr.write(f"计算完成：批次 #{run.pk}，年度 {years[0]}—{years[-1]}，耗时 {run.duration}")

    @staticmethod
    def _document(run) -> str:
        values = run.values.select_related("street").order_by(
            "code", "year", F("street__order").asc(nulls_first=True), "street_id"
        )
        document = {
            "computed_at": timezone.localtime(run.finished_at).replace(microsecond=0).isoformat(),
            "values": [
                {
                    "code": v.code,
                    "year": v.year,
                    "street": v.street.name if v.street_id else None,
                    "numerator": _number(v.numerator),
                    "denominator": _number(v.denominator),
                    "value": v.value,
                    "target": _number(v.target),
                    "met": v.met,
                    "extra": v.extra,
                }
                for v in values
            ],
        }
        return json.dumps(document, ensure_ascii=False)
