"""Django admin of the care-home domain: scoped like every other door, history kept, no deletes.

Import and export use the Excel templates' resources (imports app).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from care_homes import services
from care_homes.models import AuxProject, CareHome, Placement
from care_homes.resources import AuxProjectResource, CareHomeResource, PlacementResource
from care_homes.selectors import placement_home_choices
from core.admin import ScopedAdminMixin, ServiceSavedAdminMixin
from core.forms import PortalModelForm
from registry.admin import AccessLoggedAdminMixin, PersonRecordAdmin, ScopedRecordAdmin
from sheets.admin import PortalImportExportMixin


class HomeOperatingForm(PortalModelForm):
    """The services' rule, shown on the admin form: a record starts while its home operates.
    Checked, as the services and the import check it, for a new record or a new home or start date."""

    def clean(self):
        cleaned = super().clean()
        home = cleaned.get("home") or getattr(self.instance, "home", None)
        changed = self.instance.pk is None or {"home", "start_date"} & set(self.changed_data)
        if home is not None and cleaned.get("start_date") and changed:
            try:
                services.check_home_operating(home, cleaned["start_date"])
            except ValidationError as exc:
                self.add_error("start_date", exc.error_dict["start_date"])
        return cleaned


@admin.register(CareHome)
class CareHomeAdmin(
    ServiceSavedAdminMixin,
    PortalImportExportMixin,
    AccessLoggedAdminMixin,
    ScopedAdminMixin,
    SimpleHistoryAdmin,
):
    record_services = services.CARE_HOME_SERVICES
    resource_classes = [CareHomeResource]
    access_log = False  # homes are not person data; their exports are logged all the same
    list_display = ["name", "street", "level", "is_disabled_home", "rating", "opened_on", "closed_on"]
    list_filter = ["level", "is_disabled_home", "rating", "street"]
    search_fields = ["name"]
    list_select_related = ["street"]
    service_fields = ("name", "level", "street", "is_disabled_home", "rating", "opened_on", "closed_on")


@admin.register(Placement)
class PlacementAdmin(PersonRecordAdmin):
    record_services = services.PLACEMENT_SERVICES
    resource_classes = [PlacementResource]
    form = HomeOperatingForm
    list_display = ["person", "masked_id", "street", "home", "mode", "start_date", "end_date"]
    list_filter = ["mode", "home__level", "start_date"]
    search_fields = ["person__name", "=person__id_number", "home__name"]
    list_select_related = ["person", "person__street", "home"]
    date_hierarchy = "start_date"
    service_fields = ("home", "mode", "start_date", "end_date")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "home":
            kwargs["queryset"] = placement_home_choices()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuxProject)
class AuxProjectAdmin(ServiceSavedAdminMixin, PortalImportExportMixin, ScopedRecordAdmin):
    record_services = services.AUX_PROJECT_SERVICES
    resource_classes = [AuxProjectResource]
    access_log = False  # a project is not person data
    form = HomeOperatingForm
    raw_id_fields = []
    list_display = ["name", "home", "home_street", "start_date", "end_date", "participants"]
    list_filter = ["start_date", "home__street"]
    search_fields = ["name", "home__name"]
    list_select_related = ["home", "home__street"]
    service_fields = ("name", "start_date", "end_date", "participants")
    create_fields = ("home", *service_fields)

    @admin.display(description="街道", ordering="home__street__order")
    def home_street(self, obj):
        return obj.home.street

    def get_readonly_fields(self, request, obj=None):
        return ["home"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "home":
            kwargs["queryset"] = CareHome.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
