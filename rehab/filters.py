"""Filters of the service list; the Excel export calls RehabServiceFilter(request.GET, queryset=..., request=request)."""

from __future__ import annotations

import django_filters

from registry.list_filters import PersonRecordFilterSet, typed_year_filter
from rehab.models import RehabKind, RehabService


class RehabServiceFilter(PersonRecordFilterSet):
    kind = django_filters.ChoiceFilter(label="服务项目", choices=RehabKind.choices, empty_label="全部项目")
    year = typed_year_filter("服务年度", "filter_dated_in")

    class Meta:
        model = RehabService
        fields = ["q", "street", "kind", "year"]
