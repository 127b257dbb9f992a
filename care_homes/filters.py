"""List filters. The Excel export calls them too, exactly as the list pages do:

PlacementFilter(request.GET, queryset=Placement.objects.for_user(user), request=request).qs
"""

from __future__ import annotations

import django_filters

from care_homes.models import AuxProject, CareHome, HomeLevel, Placement, PlacementMode, operating_on_q
from care_homes.selectors import placement_home_choices
from core.filter_fields import YesNoFilter
from core.periods import today
from registry.list_filters import PersonRecordFilterSet, ScopedFilterSet, YearFilter


class CareHomeFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="机构名称")
    street = ScopedFilterSet.street_filter("street")
    level = django_filters.ChoiceFilter(label="机构级别", choices=HomeLevel.choices, empty_label="全部级别")
    is_disabled_home = YesNoFilter(label="残疾人之家")
    # operating today: opened, and not closed on or before today
    operating = YesNoFilter(label="运营中", condition=lambda: operating_on_q(today()))

    class Meta:
        model = CareHome
        fields = ["q", "street", "level", "is_disabled_home", "operating"]


class PlacementFilter(PersonRecordFilterSet):
    home = django_filters.ModelChoiceFilter(
        label="托养机构", queryset=placement_home_choices(), empty_label="全部机构"
    )
    mode = django_filters.ChoiceFilter(
        label="托养方式", choices=PlacementMode.choices, empty_label="全部方式"
    )
    year = YearFilter(label="服务年度", method="filter_active_in")
    active = YesNoFilter(label="目前在托", method="filter_current")

    class Meta:
        model = Placement
        fields = ["q", "street", "home", "mode", "year", "active"]


class AuxProjectFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="项目名称")
    street = ScopedFilterSet.street_filter("home__street")
    home = django_filters.ModelChoiceFilter(
        label="托养机构", queryset=CareHome.objects.none(), empty_label="全部机构"
    )
    year = YearFilter(label="开展年度", method="filter_active_in")
    active = YesNoFilter(label="正在开展", method="filter_current")

    class Meta:
        model = AuxProject
        fields = ["q", "street", "home", "year", "active"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        # Projects are scoped by their home's street: offer only the homes the user may see.
        homes = CareHome.objects.for_user(getattr(request, "user", None))
        self.filters["home"].queryset = homes
        self.form.fields["home"].queryset = homes
