"""Employment's running-record provider for a person's status change (registry/running.py)."""

from __future__ import annotations

import datetime as dt

from employment import services
from employment.models import Employment
from registry.running import PeriodRecordProvider


class EmploymentProvider(PeriodRecordProvider):
    key = "employment"
    title = "就业登记"
    model = Employment

    def label(self, employment: Employment) -> str:
        return f"就业登记：{employment}"

    def end_record(self, employment: Employment, *, on_date: dt.date, acting_user) -> None:
        services.employment_end(acting_user=acting_user, employment=employment, end_date=on_date)
