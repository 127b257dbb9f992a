"""Filters of the case list; the Excel export calls CaseFilter(request.GET, queryset=..., request=request)
with the list page's query string."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from cases import selectors
from cases.models import Case, CaseCategory, Source, Status, Timeliness
from core.periods import today
from registry.filters import person_search_q
from registry.list_filters import ScopedFilterSet, typed_year_filter


class CaseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="编号、事由、来件人或姓名", method="search")
    street = ScopedFilterSet.street_filter("street")
    status = django_filters.ChoiceFilter(
        label="办理状态", choices=Status.choices, empty_label="全部状态", method="filter_status"
    )
    timeliness = django_filters.ChoiceFilter(
        label="时限", choices=Timeliness.choices, empty_label="全部", method="filter_timeliness"
    )
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices, empty_label="全部来源")
    category = django_filters.ChoiceFilter(label="类别", choices=CaseCategory.choices, empty_label="全部类别")
    year = typed_year_filter("受理年度", "filter_year")

    class Meta:
        model = Case
        fields = ["q", "street", "status", "timeliness", "source", "category", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(number=text)
            | Q(subject__icontains=text)
            | Q(petitioner__icontains=text)
            | Q(person__isnull=False) & person_search_q(text, prefix="person__")
        )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == Status.OPEN:
            return queryset.open()
        if value == Status.CLOSED:
            return queryset.closed()
        return queryset

    def filter_timeliness(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        on = today()
        if value == Timeliness.OVERDUE:
            return queryset.overdue_on(on)
        if value == Timeliness.DUE_SOON:
            return queryset.due_between(on, selectors.due_soon_until(on))
        if value == Timeliness.ON_TIME:
            return queryset.on_time()
        if value == Timeliness.LATE:
            return queryset.late()
        return queryset

    def filter_year(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(received_on__year=int(value)) if value else queryset
