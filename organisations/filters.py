"""List filters of organisations and volunteer teams (the pages, the API and the Excel exports)."""

from __future__ import annotations

import django_filters

from core.filter_fields import YesNoFilter
from core.periods import today
from organisations.models import (
    Activity,
    Organisation,
    OrganisationKind,
    OrganisationReview,
    VolunteerTeam,
    active_in_q,
)
from registry.list_filters import ScopedFilterSet, typed_year_filter


def _active_this_year(model: type[Organisation | VolunteerTeam]) -> YesNoFilter:
    """活跃（今年）: the definition of organisations/models.py, this year, on the model's own
    `start_field` and `activity_field`."""
    return YesNoFilter(
        label="今年活跃",
        condition=lambda: active_in_q(today().year, model.start_field, model.activity_field),
    )


class OrganisationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="组织名称")
    street = ScopedFilterSet.street_filter("street")
    kind = django_filters.ChoiceFilter(
        label="组织类型", choices=OrganisationKind.choices, empty_label="全部类型"
    )
    is_demonstration = YesNoFilter(label="示范性")
    active = _active_this_year(Organisation)

    class Meta:
        model = Organisation
        fields = ["q", "street", "kind", "is_demonstration", "active"]


class VolunteerTeamFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="队伍名称")
    street = ScopedFilterSet.street_filter("street")
    active = _active_this_year(VolunteerTeam)

    class Meta:
        model = VolunteerTeam
        fields = ["q", "street", "active"]


class ActivityFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="活动名称")
    street = ScopedFilterSet.street_filter("street")
    year = typed_year_filter("活动年度", "filter_year")

    class Meta:
        model = Activity
        fields = ["q", "street", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.dated_in(int(value)) if value else queryset


class OrganisationReviewFilter(ScopedFilterSet):
    street = ScopedFilterSet.street_filter("organisation__street")
    year = typed_year_filter("评估年度", "filter_year")

    class Meta:
        model = OrganisationReview
        fields = ["street", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(year=int(value)) if value else queryset
