"""Filters of the grant list; the Excel export calls GrantFilter(request.GET, queryset=..., request=request)."""

from __future__ import annotations

import django_filters

from core.filter_fields import IntegerFilter
from registry.filters import person_search_q
from registry.list_filters import ScopedFilterSet
from subsidies.models import Grant, GrantKind

STATUS_CHOICES = [("active", "发放中"), ("ended", "已停发")]


class GrantFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或身份证号", method="filter_q")
    street = ScopedFilterSet.street_filter("person__street")
    kind = django_filters.ChoiceFilter(label="项目", choices=GrantKind.choices, empty_label="全部项目")
    year = IntegerFilter(label="发放年度", method="filter_year", min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(
        label="状态", choices=STATUS_CHOICES, method="filter_status", empty_label="全部状态"
    )

    class Meta:
        model = Grant
        fields = ["q", "street", "kind", "year", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].widget.attrs.setdefault("placeholder", "如 2025")

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_search_q(value, prefix="person__")) if value.strip() else queryset

    def filter_year(self, queryset, name, value):
        return queryset.active_in(int(value))

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.ongoing()
        if value == "ended":
            return queryset.ended()
        return queryset
