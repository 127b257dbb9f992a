"""Django admin of 康复服务: scoped like every other door, writes through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from imports.admin import PortalImportExportMixin
from registry.models import Person
from rehab import services
from rehab.models import RehabService
from rehab.resources import RehabServiceResource


@admin.register(RehabService)
class RehabServiceAdmin(PortalImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RehabServiceResource]
    list_display = ["person", "person_street", "kind", "service_date", "device_name", "provider", "amount"]
    list_filter = ["kind", "person__street"]
    search_fields = ["person__name", "=person__id_number", "device_name", "provider"]
    date_hierarchy = "service_date"
    raw_id_fields = ["person"]
    list_select_related = ["person", "person__street"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="街道", ordering="person__street__order")
    def person_street(self, obj: RehabService) -> str:
        return obj.person.street.name

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = Person.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The person of a service never changes (rehab_service_update refuses it).
        return [*self.readonly_fields, "person"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # records are corrected, not removed; history keeps every version

    def save_model(self, request, obj, form, change):
        data = {
            field: form.cleaned_data[field]
            for field in services.UPDATABLE_FIELDS
            if field in form.cleaned_data
        }
        if change:
            services.rehab_service_update(acting_user=request.user, service=obj, data=data)
        else:
            created = services.rehab_service_create(
                acting_user=request.user, person=form.cleaned_data["person"], **data
            )
            obj.pk, obj.created_at, obj.updated_at = created.pk, created.created_at, created.updated_at
            obj._state.adding = False
