"""Django admin of organisations, reviews, volunteer teams and activities: scoped like every other
door, history kept, saved through the services, no deletes. Import and export use the templates'
resources. No person data: nothing is access-logged but the exports (as every export is)."""

from __future__ import annotations

import copy

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin, ServiceSavedAdminMixin
from core.forms import PortalModelForm
from organisations import services
from organisations.models import Activity, Organisation, OrganisationReview, VolunteerTeam
from organisations.resources import OrganisationResource, VolunteerTeamResource
from registry.admin import AccessLoggedAdminMixin
from sheets.admin import PortalImportExportMixin


class OwnerAdminForm(PortalModelForm):
    """An organisation's or a team's form: the services' street message and dissolution rule."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "street" in self.fields:
            self.fields["street"].error_messages["required"] = services.street_required_message(
                self._meta.model
            )

    def clean(self):
        # The services' rule, shown on the form: a dissolution date leaves no activity after it.
        cleaned = super().clean()
        if self.instance.pk is not None and "dissolved_on" in self.changed_data:
            probe = copy.copy(self.instance)  # the instance takes the form's values only after clean()
            probe.dissolved_on = cleaned.get("dissolved_on")
            try:
                services.check_no_activity_after(probe)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class ActivityAdminForm(PortalModelForm):
    def clean(self):
        # The services' rule, shown on the form: an activity falls within its owner's life.
        cleaned = super().clean()
        owner = cleaned.get("organisation") or cleaned.get("team") or self.instance.owner
        try:
            services.check_activity_date(owner, cleaned.get("date"))
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class _OwnerAdmin(
    ServiceSavedAdminMixin,
    PortalImportExportMixin,
    AccessLoggedAdminMixin,
    ScopedAdminMixin,
    SimpleHistoryAdmin,
):
    access_log = False  # no person data; exports are logged all the same
    form = OwnerAdminForm


@admin.register(Organisation)
class OrganisationAdmin(_OwnerAdmin):
    record_services = services.ORGANISATION_SERVICES
    resource_classes = [OrganisationResource]
    list_display = ["name", "street", "kind", "is_demonstration", "registered_on", "dissolved_on"]
    list_filter = ["kind", "is_demonstration", "street"]
    search_fields = ["name"]
    list_select_related = ["street"]
    service_fields = services.ORGANISATION_FIELDS


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(_OwnerAdmin):
    record_services = services.TEAM_SERVICES
    resource_classes = [VolunteerTeamResource]
    list_display = ["name", "street", "members", "leader", "founded_on", "dissolved_on"]
    list_filter = ["street"]
    search_fields = ["name", "leader"]
    list_select_related = ["street"]
    service_fields = services.TEAM_FIELDS


@admin.register(OrganisationReview)
class OrganisationReviewAdmin(
    ServiceSavedAdminMixin, AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    access_log = False
    record_services = services.REVIEW_SERVICES
    create_fields = ("organisation", "year", "result", "note")
    service_fields = services.REVIEW_FIELDS
    list_display = ["organisation", "year", "result"]
    list_filter = ["year", "result"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        return ["organisation", "year"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Activity)
class ActivityAdmin(ServiceSavedAdminMixin, AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    access_log = False
    record_services = services.ACTIVITY_SERVICES
    create_fields = ("organisation", "team", "date", "title", "participants", "persons_served")
    service_fields = services.ACTIVITY_FIELDS
    form = ActivityAdminForm
    list_display = ["title", "date", "organisation", "team", "street", "participants", "persons_served"]
    list_filter = ["street", "date"]
    search_fields = ["title", "organisation__name", "team__name"]
    list_select_related = ["organisation", "team", "street"]
    date_hierarchy = "date"
    fields = ["organisation", "team", "date", "title", "participants", "persons_served"]

    def get_readonly_fields(self, request, obj=None):
        return ["organisation", "team"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.for_user(request.user)
        if db_field.name == "team":
            kwargs["queryset"] = VolunteerTeam.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
