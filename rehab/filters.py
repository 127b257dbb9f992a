"""Filters of the service list; the Excel export calls RehabServiceFilter(request.GET, queryset=..., request=request)."""

from __future__ import annotations

import django_filters

from core.filter_fields import IntegerFilter
from registry.filters import person_search_q
from registry.list_filters import ScopedFilterSet
from rehab.models import RehabKind, RehabService


class RehabServiceFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或身份证号", method="filter_q")
    street = ScopedFilterSet.street_filter("person__street")
    kind = django_filters.ChoiceFilter(label="服务项目", choices=RehabKind.choices, empty_label="全部项目")
    year = IntegerFilter(label="服务年度", method="filter_year", min_value=2000, max_value=2100)

    class Meta:
        model = RehabService
        fields = ["q", "street", "kind", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].widget.attrs.setdefault("placeholder", "如 2025")

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_search_q(value, prefix="person__")) if value.strip() else queryset

    def filter_year(self, queryset, name, value):
        return queryset.dated_in(int(value))
