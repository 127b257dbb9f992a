"""Employment's running-record provider for a person's status change (registry/running.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q

from employment import services
from employment.models import Employment
from registry.running import RunningRecord


class EmploymentProvider:
    key = "employment"
    title = "就业登记"

    def _running(self, person, after: dt.date):
        return Employment.objects.filter(person=person).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=after)
        )

    def list_running(self, person, after: dt.date) -> list[RunningRecord]:
        return [
            RunningRecord(self.key, e.pk, f"就业登记：{e}", "结束日期为变更日期")
            for e in self._running(person, after).order_by("start_date", "id")
        ]

    def end(self, pks: list[int], *, person, on_date: dt.date, acting_user) -> None:
        records = list(self._running(person, on_date).filter(pk__in=pks))
        if len(records) != len(set(pks)):
            raise ValidationError({"end_records": "要结束的就业登记不存在或已结束"})
        for record in records:
            if record.start_date > on_date:
                raise ValidationError({"end_records": f"就业登记{record}开始于变更日期之后，不能在该日结束"})
            services.employment_end(acting_user=acting_user, employment=record, end_date=on_date)
