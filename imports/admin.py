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
from registry.audit import log_export


class PortalImportExportMixin(ImportExportMixin):
    """ImportExportMixin limited to .xlsx, the one format of the templates."""

    @property
    def import_formats(self):
        return [XLSX]

    @property
    def export_formats(self):
        return [XLSX]

    def get_data_for_export(self, request, queryset, **kwargs):
        # Every admin export (the export page and the "export selected" action) is logged once.
        data = super().get_data_for_export(request, queryset, **kwargs)
        log_export(
            request=request,
            user=request.user,
            object_type=self.model._meta.model_name,
            row_count=len(data),
            detail=f"管理后台导出{self.model._meta.verbose_name}",
        )
        return data


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
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
