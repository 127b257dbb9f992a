"""Filters of the service list; the Excel export calls RehabServiceFilter(request.GET, queryset=..., request=request)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from registry.models import Street
from registry.roles import sees_all_streets
from rehab.models import RehabKind, RehabService


def person_search_q(value: str) -> Q:
    """A full ID number finds its person; anything else searches names."""
    value = value.strip()
    if len(value) == 18:
        return Q(person__id_number=value.upper())
    return Q(person__name__icontains=value)


class RehabServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名或身份证号", method="filter_q")
    street = django_filters.ModelChoiceFilter(
        label="街道", field_name="person__street", queryset=Street.objects.all(), empty_label="全部街道"
    )
    kind = django_filters.ChoiceFilter(label="服务项目", choices=RehabKind.choices, empty_label="全部项目")
    year = django_filters.NumberFilter(label="服务年度", method="filter_year", min_value=2000, max_value=2100)

    class Meta:
        model = RehabService
        fields = ["q", "street", "kind", "year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only district staff choose a street; a clerk's list is his street already.
        if request is None or not sees_all_streets(request.user):
            self.filters.pop("street")
        for name, field in self.form.fields.items():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
            if name == "year":
                field.widget.attrs.setdefault("placeholder", "如 2025")

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_search_q(value)) if value.strip() else queryset

    def filter_year(self, queryset, name, value):
        return queryset.dated_in(int(value))
