"""Care homes' running-record provider for a person's status change (registry/running.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q

from care_homes import services
from care_homes.models import Placement
from registry.running import RunningRecord


class PlacementProvider:
    key = "placement"
    title = "托养服务"

    def _running(self, person, after: dt.date):
        return Placement.objects.filter(person=person).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=after)
        )

    def list_running(self, person, after: dt.date) -> list[RunningRecord]:
        return [
            RunningRecord(self.key, p.pk, f"托养服务：{p}（{p.start_date:%Y-%m-%d}起）", "结束日期为变更日期")
            for p in self._running(person, after).select_related("home").order_by("start_date", "id")
        ]

    def end(self, pks: list[int], *, person, on_date: dt.date, acting_user) -> None:
        placements = list(self._running(person, on_date).filter(pk__in=pks).select_related("home"))
        if len(placements) != len(set(pks)):
            raise ValidationError({"end_records": "要结束的托养服务不存在或已结束"})
        for placement in placements:
            if placement.start_date > on_date:
                raise ValidationError(
                    {"end_records": f"托养服务{placement}开始于变更日期之后，不能在该日结束"}
                )
            services.placement_end(acting_user=acting_user, placement=placement, end_date=on_date)
