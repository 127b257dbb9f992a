"""Admin import/export of the ten templates, and the import log (read-only).

An app's admin class gets the template's import and export buttons with

    class PersonAdmin(PortalImportExportMixin, admin.ModelAdmin):
        resource_classes = [PersonResource]

Imports there run django-import-export's row-by-row machinery on the same resource (same columns,
cleaning, messages and natural keys; all or nothing; the acting user's street scope and history);
exports take the admin's own (scoped) queryset. Large files belong on the import page or the
`import_excel` command, which use the bulk importer.
"""

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from imports.models import ImportJob
from registry.interfaces import PortalModelForm


class PortalImportExportMixin(ImportExportMixin):
    """ImportExportMixin limited to .xlsx, the one format of the templates."""

    @property
    def import_formats(self):
        return [XLSX]

    @property
    def export_formats(self):
        return [XLSX]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = [
        "uploaded_at",
        "resource",
        "file_name",
        "source",
        "user",
        "street",
        "status",
        "row_count",
        "created",
        "updated",
        "unchanged",
    ]
    list_filter = ["status", "resource", "source", "street"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "uploaded_at"
    exclude = ["file_data"]
    list_select_related = ["user", "street"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).defer("file_data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
