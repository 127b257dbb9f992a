"""Filter sets shared by the domain apps' list pages (and their Excel exports and APIs).

Streets are offered to district staff only; widgets are Bootstrap's small controls.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from core.filter_fields import IntegerFilter, is_api_request
from core.models import Street
from core.periods import today
from core.roles import sees_all_streets
from registry.filters import person_search_q


def year_choices() -> list[tuple[int, str]]:
    return [(year, f"{year}年") for year in range(today().year, 2014, -1)]


class YearFilter(django_filters.ChoiceFilter):
    """A year among this year back to 2015 (an integer with those bounds in the API schema)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", year_choices)
        kwargs.setdefault("empty_label", "全部年度")
        super().__init__(*args, **kwargs)

    @property
    def _spectacular_annotation(self) -> dict:
        # Read by drf-spectacular when it builds the schema: the bounds move with the calendar.
        return {"field": {"type": "integer", "minimum": 2015, "maximum": today().year}}


def typed_year_filter(label: str, method: str) -> IntegerFilter:
    """A year typed in (2000–2100): for records that may be dated before the register's years."""
    return IntegerFilter(
        label=label,
        method=method,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "如 2025"}),
    )


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
            if is_api_request(request):
                # The API still checks the documented parameter: another or an unknown street is a 400.
                streets = Street.objects.for_user(user)
                self.filters["street"].queryset = streets
                self.form.fields["street"].queryset = streets
            else:
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
        return queryset.filter(person_search_q(value, prefix="person__")) if value.strip() else queryset

    # Shared filter methods (name them in `method=`): a year or a yes/no over start/end records.

    def filter_active_in(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Records active in that year (indicators.md "active in Y")."""
        return queryset.active_in(int(value)) if value else queryset

    def filter_dated_in(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Records dated in that year."""
        return queryset.dated_in(int(value)) if value else queryset

    def filter_current(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """是: running today; 否: ended before today or not yet begun."""
        if value == "yes":
            return queryset.current()
        if value == "no":
            return not_current(queryset)
        return queryset


class PersonRecordFilterSet(ScopedFilterSet):
    """The list of a domain's records of persons: searched by the person, filtered by their street."""

    q = django_filters.CharFilter(label="姓名或证件号", method="search_person")
    street = ScopedFilterSet.street_filter("person__street")
