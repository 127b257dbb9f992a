"""Django admin of the employment domain: scoped like every other door, history kept, no deletes.

Import and export use the Excel templates' resources (imports app): the same columns as the
clerk's import page and the list pages' exports.
"""

from __future__ import annotations

from django.contrib import admin

from employment import services
from employment.models import Employment, Graduate, Training
from employment.resources import EmploymentResource, GraduateResource, TrainingResource
from registry.admin import PersonRecordAdmin


@admin.register(Training)
class TrainingAdmin(PersonRecordAdmin):
    record_services = services.TRAINING_SERVICES
    resource_classes = [TrainingResource]
    list_display = ["person", "masked_id", "street", "name", "kind", "start_date", "end_date", "completed"]
    list_filter = ["kind", "completed", "start_date"]
    search_fields = ["person__name", "=person__id_number", "name"]
    date_hierarchy = "start_date"
    service_fields = ("name", "kind", "start_date", "end_date", "completed")


@admin.register(Employment)
class EmploymentAdmin(PersonRecordAdmin):
    record_services = services.EMPLOYMENT_SERVICES
    resource_classes = [EmploymentResource]
    list_display = ["person", "masked_id", "street", "form", "employer", "start_date", "end_date"]
    list_filter = ["form", "start_date"]
    search_fields = ["person__name", "=person__id_number", "employer"]
    date_hierarchy = "start_date"
    service_fields = ("form", "employer", "start_date", "end_date")


@admin.register(Graduate)
class GraduateAdmin(PersonRecordAdmin):
    record_services = services.GRADUATE_SERVICES
    resource_classes = [GraduateResource]
    list_display = ["person", "masked_id", "street", "graduation_year", "school", "degree"]
    list_filter = ["graduation_year", "degree"]
    search_fields = ["person__name", "=person__id_number", "school"]
    service_fields = ("graduation_year", "school", "degree")
