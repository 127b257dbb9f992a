"""Django admin of 康复服务: scoped like every other door, writes through the services."""

from django.contrib import admin

from registry.admin import PersonRecordAdmin
from rehab import services
from rehab.models import RehabService
from rehab.resources import RehabServiceResource


@admin.register(RehabService)
class RehabServiceAdmin(PersonRecordAdmin):
    record_services = services.REHAB_SERVICE_SERVICES
    resource_classes = [RehabServiceResource]
    list_display = ["person", "street", "kind", "service_date", "device_name", "provider", "amount"]
    list_filter = ["kind", "person__street"]
    search_fields = ["person__name", "=person__id_number", "device_name", "provider"]
    date_hierarchy = "service_date"
    readonly_fields = ["created_at", "updated_at"]
    service_fields = services.UPDATABLE_FIELDS
