"""Django admin of the indicators: plan data with history; runs and values read-only.

Aggregates only (no person data), so no street scoping is needed; targets and reference growth
rates are saved through the services so that history records the acting user.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.forms import PortalModelForm
from indicators import services
from indicators.models import Indicator, IndicatorRun, IndicatorValue, ReferenceGrowth, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    form = PortalModelForm
    list_display = ["code", "name", "attribute", "baseline", "unit", "standing_target", "sort"]
    readonly_fields = ["code"]
    ordering = ["sort"]

    def has_add_permission(self, request) -> bool:
        return False  # the twelve indicators come from the plan

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    form = PortalModelForm
    list_display = ["indicator", "year", "value", "updated_at"]
    list_filter = ["indicator", "year"]
    list_select_related = ["indicator"]

    def save_model(self, request, obj, form, change):
        services.target_set(acting_user=request.user, indicator=obj.indicator, year=obj.year, value=obj.value)


@admin.register(ReferenceGrowth)
class ReferenceGrowthAdmin(SimpleHistoryAdmin):
    form = PortalModelForm
    list_display = ["year", "series", "rate", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.reference_growth_set(
            acting_user=request.user, year=obj.year, series=obj.series, rate=obj.rate
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    form = PortalModelForm

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorRun)
class IndicatorRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "started_at",
        "finished_at",
        "status",
        "trigger",
        "triggered_by",
        "duration",
        "query_count",
    ]
    list_filter = ["status", "trigger"]
    list_select_related = ["triggered_by"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ["run", "code", "year", "street", "numerator", "denominator", "value", "target", "met"]
    list_filter = ["code", "year", "street"]
    list_select_related = ["run", "street"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # values go with their run
