"""Filters of the 教育助学 and 送教上门 lists; the Excel export calls them with the request too."""

from __future__ import annotations

import django_filters

from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from registry.list_filters import PersonRecordFilterSet, typed_year_filter


class EducationAidFilter(PersonRecordFilterSet):
    stage = django_filters.ChoiceFilter(label="学段", choices=Stage.choices, empty_label="全部学段")
    kind = django_filters.ChoiceFilter(label="资助类型", choices=AidKind.choices, empty_label="全部类型")
    year = typed_year_filter("年度", "filter_dated_in")

    class Meta:
        model = EducationAid
        fields = ["q", "street", "stage", "kind", "year"]


class HomeTeachingVisitFilter(PersonRecordFilterSet):
    year = typed_year_filter("年度", "filter_dated_in")

    class Meta:
        model = HomeTeachingVisit
        fields = ["q", "street", "year"]
