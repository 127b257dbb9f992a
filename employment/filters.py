"""List filters. The Excel export calls them too, exactly as the list pages do:

TrainingFilter(request.GET, queryset=Training.objects.for_user(user), request=request).qs
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from employment.models import Degree, Employment, EmploymentForm, Graduate, Training, TrainingKind
from registry.idnumbers import normalize_id_number
from registry.models import Street
from registry.periods import today
from registry.roles import sees_all_streets

YES_NO = [("yes", "是"), ("no", "否")]


def year_choices() -> list[tuple[int, str]]:
    return [(year, f"{year}年") for year in range(today().year, 2014, -1)]


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.ChoiceFilter):
    """A year among this year back to 2015 (an integer in the API schema)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", year_choices)
        kwargs.setdefault("empty_label", "全部年度")
        super().__init__(*args, **kwargs)


def person_search_q(value: str, prefix: str = "person__") -> Q:
    """Name contains the text; a full ID number or certificate number matches exactly."""
    text = value.strip()
    normalized = normalize_id_number(text)
    if len(normalized) == 18:
        return Q(**{f"{prefix}id_number": normalized})
    if len(normalized) == 20:
        return Q(**{f"{prefix}certificate_number": normalized})
    return Q(**{f"{prefix}name__icontains": text})


def not_current(queryset: QuerySet) -> QuerySet:
    """The complement of `current()` for start/end records: ended before today or not yet begun."""
    now = today()
    return queryset.filter(Q(end_date__lt=now) | Q(start_date__gt=now))


class ScopedFilterSet(django_filters.FilterSet):
    """Street filter for district staff only (a clerk's lists hold his street anyway); Bootstrap widgets."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        if "street" in self.filters and not sees_all_streets(user):
            del self.filters["street"]
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    @classmethod
    def street_filter(cls, path: str) -> django_filters.ModelChoiceFilter:
        return django_filters.ModelChoiceFilter(
            field_name=path, queryset=Street.objects.all(), label="街道", empty_label="全部街道"
        )

    def search_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(person_search_q(value)) if value.strip() else queryset


class TrainingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或证件号", method="search_person")
    street = ScopedFilterSet.street_filter("person__street")
    kind = django_filters.ChoiceFilter(label="培训类型", choices=TrainingKind.choices, empty_label="全部类型")
    year = YearFilter(label="培训年度", method="filter_year")
    completed = django_filters.ChoiceFilter(
        label="是否结业", choices=YES_NO, method="filter_completed", empty_label="全部"
    )

    class Meta:
        model = Training
        fields = ["q", "street", "kind", "year", "completed"]

    def filter_year(self, queryset, name, value):
        return queryset.dated_in(int(value)) if value else queryset

    def filter_completed(self, queryset, name, value):
        return queryset.filter(completed=value == "yes") if value else queryset


class EmploymentFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或证件号", method="search_person")
    street = ScopedFilterSet.street_filter("person__street")
    form = django_filters.ChoiceFilter(
        label="就业形式", choices=EmploymentForm.choices, empty_label="全部形式"
    )
    year = YearFilter(label="在岗年度", method="filter_year")
    active = django_filters.ChoiceFilter(
        label="目前在职", choices=YES_NO, method="filter_active", empty_label="全部"
    )

    class Meta:
        model = Employment
        fields = ["q", "street", "form", "year", "active"]

    def filter_year(self, queryset, name, value):
        """在岗年度: records active in that year (indicators.md "active in Y")."""
        return queryset.active_in(int(value)) if value else queryset

    def filter_active(self, queryset, name, value):
        if value == "yes":
            return queryset.current()
        if value == "no":
            return not_current(queryset)
        return queryset


class GraduateFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或证件号", method="search_person")
    street = ScopedFilterSet.street_filter("person__street")
    year = YearFilter(field_name="graduation_year", label="毕业年份", empty_label="全部年份")
    degree = django_filters.ChoiceFilter(label="学历", choices=Degree.choices, empty_label="全部学历")
    employed = django_filters.ChoiceFilter(
        label="年末就业", choices=YES_NO, method="filter_employed", empty_label="全部"
    )

    class Meta:
        model = Graduate
        fields = ["q", "street", "year", "degree", "employed"]

    def filter_employed(self, queryset, name, value):
        """年末就业: an employment record active on 31 December of the graduation year (K11)."""
        if not value:
            return queryset
        if "employed" not in queryset.query.annotations:
            queryset = queryset.with_employment_status()
        return queryset.filter(employed=value == "yes")
