"""Django admin of 法律救助: scoped like every other door, history kept, saves through the services,
no deletes; import and export through the Excel templates' resources."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from legal_aid import services
from legal_aid.models import AidCase, Consultation
from legal_aid.resources import AidCaseResource, ConsultationResource
from registry.admin import AccessLoggedAdminMixin, PersonRecordAdmin, ScopedAdminMixin
from sheets.admin import PortalImportExportMixin


@admin.register(Consultation)
class ConsultationAdmin(
    PortalImportExportMixin, AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    resource_classes = [ConsultationResource]
    list_display = ["number", "consulted_on", "street", "visitor", "channel", "topic", "handled_by"]
    list_filter = ["topic", "channel", "street"]
    list_select_related = ["street", "person"]
    search_fields = ["number", "visitor_name", "person__name", "=person__id_number"]
    date_hierarchy = "consulted_on"
    raw_id_fields = ["person"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="咨询人")
    def visitor(self, obj: Consultation) -> str:
        return obj.visitor

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in services.CONSULTATION_FIELDS}
        if change:
            services.consultation_update(acting_user=request.user, consultation=obj, **values)
        else:
            created = services.consultation_create(acting_user=request.user, **values)
            obj.pk, obj.created_at, obj.updated_at = created.pk, created.created_at, created.updated_at
            obj._state.adding = False


@admin.register(AidCase)
class AidCaseAdmin(PersonRecordAdmin):
    record_services = services.AID_CASE_SERVICES
    resource_classes = [AidCaseResource]
    list_display = [
        "person",
        "masked_id",
        "street",
        "kind",
        "subject",
        "opened_on",
        "closed_on",
        "amount_recovered",
    ]
    list_filter = ["kind", "outcome", "person__street"]
    list_select_related = ["person", "person__street", "street"]
    search_fields = ["person__name", "=person__id_number", "subject", "counsel"]
    date_hierarchy = "opened_on"
    readonly_fields = ["created_at", "updated_at"]
    service_fields = services.CASE_FIELDS
