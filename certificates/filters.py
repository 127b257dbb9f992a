"""Filters of the application list; the Excel export calls ApplicationFilter(request.GET, queryset=...,
request=request) with the list page's query string."""

from __future__ import annotations

import django_filters

from certificates.models import Application, ApplicationKind, ApplicationState
from registry.list_filters import ScopedFilterSet


class ApplicationFilter(ScopedFilterSet):
    street = ScopedFilterSet.street_filter("street")
    state = django_filters.ChoiceFilter(
        label="办理状态", choices=ApplicationState.choices, empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        label="申请类型", choices=ApplicationKind.choices, empty_label="全部类型"
    )

    class Meta:
        model = Application
        fields = ["street", "state", "kind"]
