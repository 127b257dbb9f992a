"""The subsidies' running-record provider for a person's status change (registry/running.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q

from core.periods import first_of_month
from registry.running import RunningRecord
from subsidies import services
from subsidies.models import Grant


class GrantProvider:
    key = "grant"
    title = "补贴与救助"

    def _running(self, person, after: dt.date):
        # month fields: a grant ending in the month of `after` no longer runs after it
        return Grant.objects.filter(person=person).filter(
            Q(end_month__isnull=True) | Q(end_month__gt=first_of_month(after))
        )

    def list_running(self, person, after: dt.date) -> list[RunningRecord]:
        return [
            RunningRecord(
                self.key,
                grant.pk,
                f"{grant.get_kind_display()}（{grant.start_month:%Y-%m}起"
                + (f"，至{grant.end_month:%Y-%m}" if grant.end_month else "")
                + "）",
                "停发，结束月份为变更当月",
            )
            for grant in self._running(person, after).order_by("start_month", "id")
        ]

    def end(self, pks: list[int], *, person, on_date: dt.date, acting_user) -> None:
        grants = list(self._running(person, on_date).filter(pk__in=pks))
        if len(grants) != len(set(pks)):
            raise ValidationError({"end_records": "要停发的补贴不存在或已停发"})
        for grant in grants:
            if grant.start_month > first_of_month(on_date):
                raise ValidationError(
                    {"end_records": f"{grant}开始于变更日期之后，不能在变更当月停发：请修改或核实该补贴"}
                )
            services.grant_end(acting_user=acting_user, grant=grant, end_month=first_of_month(on_date))
