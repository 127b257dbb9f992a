"""List filters. The Excel export calls them too, exactly as the list pages do:

TrainingFilter(request.GET, queryset=Training.objects.for_user(user), request=request).qs
"""

from __future__ import annotations

import django_filters

from core.filter_fields import YesNoFilter
from employment.models import Degree, Employment, EmploymentForm, Graduate, Training, TrainingKind
from registry.list_filters import PersonRecordFilterSet, YearFilter


class TrainingFilter(PersonRecordFilterSet):
    kind = django_filters.ChoiceFilter(label="培训类型", choices=TrainingKind.choices, empty_label="全部类型")
    year = YearFilter(label="培训年度", method="filter_dated_in")
    completed = YesNoFilter(label="是否结业")

    class Meta:
        model = Training
        fields = ["q", "street", "kind", "year", "completed"]


class EmploymentFilter(PersonRecordFilterSet):
    form = django_filters.ChoiceFilter(
        label="就业形式", choices=EmploymentForm.choices, empty_label="全部形式"
    )
    year = YearFilter(label="在岗年度", method="filter_active_in")
    active = YesNoFilter(label="目前在职", method="filter_current")

    class Meta:
        model = Employment
        fields = ["q", "street", "form", "year", "active"]


class GraduateFilter(PersonRecordFilterSet):
    year = YearFilter(field_name="graduation_year", label="毕业年份", empty_label="全部年份")
    degree = django_filters.ChoiceFilter(label="学历", choices=Degree.choices, empty_label="全部学历")
    employed = YesNoFilter(label="年末就业", method="filter_employed")

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
