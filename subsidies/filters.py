"""Filters of the grant list; the Excel export calls GrantFilter(request.GET, queryset=..., request=request)."""

from __future__ import annotations

import django_filters

from registry.list_filters import PersonRecordFilterSet, typed_year_filter
from subsidies.models import Grant, GrantKind

STATUS_CHOICES = [("active", "发放中"), ("ended", "已停发")]


class GrantFilter(PersonRecordFilterSet):
    kind = django_filters.ChoiceFilter(label="项目", choices=GrantKind.choices, empty_label="全部项目")
    year = typed_year_filter("发放年度", "filter_active_in")
    status = django_filters.ChoiceFilter(
        label="状态", choices=STATUS_CHOICES, method="filter_status", empty_label="全部状态"
    )

    class Meta:
        model = Grant
        fields = ["q", "street", "kind", "year", "status"]

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.ongoing()
        if value == "ended":
            return queryset.ended()
        return queryset
