"""Filters of the two lists; the Excel exports apply the same ones (imports.views.export)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from legal_aid.models import AidCase, AidKind, Channel, Consultation, Topic
from registry.filters import person_search_q
from registry.list_filters import PersonRecordFilterSet, ScopedFilterSet, typed_year_filter
from registry.models import Person


class ConsultationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="咨询人、身份证号或编号", method="search")
    street = ScopedFilterSet.street_filter("street")
    topic = django_filters.ChoiceFilter(label="咨询类别", choices=Topic.choices, empty_label="全部类别")
    channel = django_filters.ChoiceFilter(label="咨询方式", choices=Channel.choices, empty_label="全部方式")
    year = typed_year_filter("咨询年度", "filter_dated_in")

    class Meta:
        model = Consultation
        fields = ["q", "street", "topic", "channel", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        # The persons are found first through the register's search indexes, then their
        # consultations: an OR across the join would scan every consultation with its person.
        persons = Person.objects.filter(person_search_q(text)).values("pk")
        return queryset.filter(Q(person__in=persons) | Q(visitor_name__icontains=text) | Q(number=text))


class CaseState:
    OPEN = "open"
    CLOSED = "closed"
    LONG_OPEN = "long_open"
    CHOICES = [(OPEN, "办理中"), (LONG_OPEN, "办理超过90天未结"), (CLOSED, "已结案")]


class AidCaseFilter(PersonRecordFilterSet):
    street = ScopedFilterSet.street_filter("person__street")
    kind = django_filters.ChoiceFilter(label="救助方式", choices=AidKind.choices, empty_label="全部方式")
    state = django_filters.ChoiceFilter(
        label="办理状态", choices=CaseState.CHOICES, empty_label="全部状态", method="filter_state"
    )
    year = typed_year_filter("立案年度", "filter_dated_in")

    class Meta:
        model = AidCase
        fields = ["q", "street", "kind", "state", "year"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == CaseState.OPEN:
            return queryset.still_open()
        if value == CaseState.LONG_OPEN:
            return queryset.long_open()
        if value == CaseState.CLOSED:
            return queryset.filter(closed_on__isnull=False)
        return queryset
