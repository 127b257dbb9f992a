"""Django admin of the employment domain: scoped like every other door, history kept, no deletes.

Import and export use the Excel templates' resources (imports app): the same columns as the
clerk's import page and the list pages' exports.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from employment import services
from employment.models import Employment, Graduate, Training
from employment.resources import EmploymentResource, GraduateResource, TrainingResource
from imports.admin import PortalImportExportMixin
from registry.models import Person


class ScopedRecordAdmin(SimpleHistoryAdmin):
    """for_user on the list and on the person choices; saves go through the domain services.

    Records end with an end date, never by deletion: the delete permission is withheld.
    """

    raw_id_fields = ["person"]
    list_select_related = ["person", "person__street"]
    service_fields: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = Person.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A record keeps its person (as in the services and the API).
        return ["person"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="公民身份号码")
    def masked_id(self, obj):
        return obj.person.masked_id_number

    @admin.display(description="街道", ordering="person__street__order")
    def street(self, obj):
        return obj.person.street

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in self.service_fields}
        if change:
            self.update_record(request, obj, values)
        else:
            created = self.create_record(request, obj.person, values)
            obj.pk = created.pk
            obj._state.adding = False


@admin.register(Training)
class TrainingAdmin(PortalImportExportMixin, ScopedRecordAdmin):
    resource_classes = [TrainingResource]
    list_display = ["person", "masked_id", "street", "name", "kind", "start_date", "end_date", "completed"]
    list_filter = ["kind", "completed", "start_date"]
    search_fields = ["person__name", "=person__id_number", "name"]
    date_hierarchy = "start_date"
    service_fields = ("name", "kind", "start_date", "end_date", "completed")

    def create_record(self, request, person, values):
        return services.training_create(acting_user=request.user, person=person, **values)

    def update_record(self, request, training, values):
        services.training_update(acting_user=request.user, training=training, **values)


@admin.register(Employment)
class EmploymentAdmin(PortalImportExportMixin, ScopedRecordAdmin):
    resource_classes = [EmploymentResource]
    list_display = ["person", "masked_id", "street", "form", "employer", "start_date", "end_date"]
    list_filter = ["form", "start_date"]
    search_fields = ["person__name", "=person__id_number", "employer"]
    date_hierarchy = "start_date"
    service_fields = ("form", "employer", "start_date", "end_date")

    def create_record(self, request, person, values):
        return services.employment_create(acting_user=request.user, person=person, **values)

    def update_record(self, request, employment, values):
        services.employment_update(acting_user=request.user, employment=employment, **values)


@admin.register(Graduate)
class GraduateAdmin(PortalImportExportMixin, ScopedRecordAdmin):
    resource_classes = [GraduateResource]
    list_display = ["person", "masked_id", "street", "graduation_year", "school", "degree"]
    list_filter = ["graduation_year", "degree"]
    search_fields = ["person__name", "=person__id_number", "school"]
    service_fields = ("graduation_year", "school", "degree")

    def create_record(self, request, person, values):
        return services.graduate_create(acting_user=request.user, person=person, **values)

    def update_record(self, request, graduate, values):
        services.graduate_update(acting_user=request.user, graduate=graduate, **values)
