"""Django admin of the payment rolls: scoped, read-only for rolls, lines and recoveries (their
workflow lives on the portal's pages and services); standards are saved through the service."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from payments import services
from payments.models import HeldItem, Recovery, Roll, RollLine, Standard
from registry.admin import AccessLoggedAdminMixin, ScopedAdminMixin


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "effective_month", "monthly_amount", "note"]
    list_filter = ["kind"]

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name] for name in ("kind", "monthly_amount", "effective_month", "note")
        }
        if change:
            services.standard_update(
                acting_user=request.user, standard=Standard.objects.get(pk=obj.pk), data=data
            )
        else:
            obj.pk = services.standard_create(acting_user=request.user, **data).pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a standard is history: a new one is added from a later month


@admin.register(Roll)
class RollAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["street", "month", "state", "submitted_by", "approved_by", "exported_at"]
    list_filter = ["state", "street"]
    date_hierarchy = "month"


@admin.register(RollLine)
class RollLineAdmin(AccessLoggedAdminMixin, ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["roll", "person_name", "masked_id", "kind", "month", "amount", "type", "paid", "failed"]
    list_filter = ["kind", "type", "paid", "failed"]
    list_select_related = ["roll", "roll__street", "person"]
    search_fields = ["=person__id_number", "person__name"]
    exclude = ["person"]
    show_full_result_count = False

    @admin.display(description="姓名")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description="公民身份号码")
    def masked_id(self, obj):
        return obj.person.masked_id_number


@admin.register(HeldItem)
class HeldItemAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["roll", "kind", "month", "reason"]
    list_filter = ["reason", "kind"]
    list_select_related = ["roll", "roll__street"]
    exclude = ["person"]


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["roll", "kind", "month", "amount", "recovered_on", "recovered_amount", "recovered_by"]
    list_filter = ["kind"]
    list_select_related = ["roll", "roll__street", "recovered_by"]
    exclude = ["person"]
