"""Admin of 办证申请: read-only and scoped (steps are written by the services only; the database
refuses to change a recorded step); its reads are access-logged (names, full ID numbers)."""

from django.contrib import admin

from certificates.models import Application, ApplicationStep
from core.admin import ReadOnlyAdminMixin
from registry.admin import AccessLoggedAdminMixin


class StepInline(admin.TabularInline):
    model = ApplicationStep
    extra = 0
    can_delete = False
    fields = [
        "sequence",
        "kind",
        "done_on",
        "category",
        "grade",
        "decision",
        "reason",
        "certificate_number",
        "by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AccessLoggedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["received_on", "name", "kind", "street", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "=id_number"]
    inlines = [StepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("street")
