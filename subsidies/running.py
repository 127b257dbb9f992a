"""The subsidies' running-record provider for a person's status change (registry/running.py)."""

from __future__ import annotations

import datetime as dt

from core.periods import first_of_month
from registry.running import PeriodRecordProvider
from subsidies import services
from subsidies.models import Grant


class GrantProvider(PeriodRecordProvider):
    key = "grant"
    title = "补贴与救助"
    model = Grant
    start_field = "start_month"
    end_field = "end_month"
    ends_as = "停发，结束月份为变更当月"
    missing_message = "要停发的补贴不存在或已停发"
    too_early_message = "{record}开始于变更日期之后，不能在变更当月停发：请修改或核实该补贴"

    def cutoff(self, on_date: dt.date) -> dt.date:
        # month fields: a grant ending in the month of the change no longer runs after it
        return first_of_month(on_date)

    def label(self, grant: Grant) -> str:
        until = f"，至{grant.end_month:%Y-%m}" if grant.end_month else ""
        return f"{grant.get_kind_display()}（{grant.start_month:%Y-%m}起{until}）"

    def end_record(self, grant: Grant, *, on_date: dt.date, acting_user) -> None:
        services.grant_end(acting_user=acting_user, grant=grant, end_month=first_of_month(on_date))
