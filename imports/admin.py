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

from imports import xlsx
from imports.models import ImportJob


class PortalXLSX(XLSX):
    """.xlsx whose exports go through the portal's one writer (formulas neutralised, dates and
    amounts typed, header frozen); reading stays django-import-export's."""

    def export_data(self, dataset, **kwargs) -> bytes:
        writer = xlsx.WorkbookWriter()
        sheet = writer.add_sheet(
            dataset.title or "导出", [xlsx.Column(str(header)) for header in dataset.headers or []]
        )
        sheet.extend(dataset)
        return writer.save()


class PortalImportExportMixin(ImportExportMixin):
    """ImportExportMixin limited to .xlsx, the one format of the templates."""

    @property
    def import_formats(self):
        return [XLSX]

    @property
    def export_formats(self):
        return [PortalXLSX]


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
