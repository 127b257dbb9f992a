"""Care homes' running-record provider for a person's status change (registry/running.py)."""

from __future__ import annotations

import datetime as dt

from care_homes import services
from care_homes.models import Placement
from registry.running import PeriodRecordProvider


class PlacementProvider(PeriodRecordProvider):
    key = "placement"
    title = "托养服务"
    model = Placement
    related = ("home",)

    def label(self, placement: Placement) -> str:
        return f"托养服务：{placement}（{placement.start_date:%Y-%m-%d}起）"

    def end_record(self, placement: Placement, *, on_date: dt.date, acting_user) -> None:
        services.placement_end(acting_user=acting_user, placement=placement, end_date=on_date)
