"""Django admin of 补贴与救助: scoped like every other door, writes through the services."""

from django.contrib import admin

from registry.admin import PersonRecordAdmin
from subsidies import services
from subsidies.models import Grant
from subsidies.resources import GrantResource


@admin.register(Grant)
class GrantAdmin(PersonRecordAdmin):
    record_services = services.GRANT_SERVICES
    resource_classes = [GrantResource]
    list_display = ["person", "street", "kind", "start_month", "end_month", "monthly_amount"]
    list_filter = ["kind", "person__street"]
    search_fields = ["person__name", "=person__id_number"]
    date_hierarchy = "start_month"
    readonly_fields = ["created_at", "updated_at"]
    service_fields = services.UPDATABLE_FIELDS
