"""Django admin of 康复服务: scoped like every other door, writes through the services."""

from django.contrib import admin

from registry.admin import ScopedRecordAdmin
from rehab import services
from rehab.models import RehabService
from rehab.resources import RehabServiceResource
from sheets.admin import PortalImportExportMixin


@admin.register(RehabService)
class RehabServiceAdmin(PortalImportExportMixin, ScopedRecordAdmin):
    resource_classes = [RehabServiceResource]
    list_display = ["person", "street", "kind", "service_date", "device_name", "provider", "amount"]
    list_filter = ["kind", "person__street"]
    search_fields = ["person__name", "=person__id_number", "device_name", "provider"]
    date_hierarchy = "service_date"
    readonly_fields = ["created_at", "updated_at"]
    service_fields = services.UPDATABLE_FIELDS

    def create_record(self, request, person, values):
        return services.rehab_service_create(acting_user=request.user, person=person, **values)

    def update_record(self, request, service, values):
        services.rehab_service_update(acting_user=request.user, service=service, **values)
