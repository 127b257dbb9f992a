"""Admin import/export of the ten templates, and the import log (read-only).

An app's admin class gets the template's import and export buttons with

    class PersonAdmin(PortalImportExportMixin, admin.ModelAdmin):
        resource_classes = [PersonResource]

Imports there run django-import-export's row-by-row machinery on the same resource (same columns,
cleaning, messages and natural keys; all or nothing; the acting user's street scope and history);
exports take the admin's own (scoped) queryset. Large files belong on the import page or the
`import_excel` command, which use the bulk importer. An uploaded file passes the same guard as on
every other door (imports/excel.check_upload) before openpyxl reads it.
"""

import io

import openpyxl
import tablib
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from core.forms import PortalModelForm
from imports.models import ImportJob
from registry.audit import log_export
from sheets import excel, xlsx


class GuardedXLSX(XLSX):
    """django-import-export's .xlsx reader (openpyxl), behind the portal's guard.

    As the original, it reads the active sheet with openpyxl in read-only mode; unlike it, it sizes
    the rows from the cells, not from the sheet's <dimension> (which can lie: "A1:XFD1048576" would
    pad every row to 16,384 cells).
    """

    def create_dataset(self, in_stream):
        data = bytes(in_stream)
        excel.check_upload(data)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.active
            sheet.reset_dimensions()
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
        dataset = tablib.Dataset()
        if not rows:
            return dataset
        width = max(len(row) for row in rows)
        ignore_blanks = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        dataset.headers = rows[0] + [None] * (width - len(rows[0]))
        for row in rows[1:]:
            if ignore_blanks and all(value is None for value in row):
                continue
            dataset.append(row + [None] * (width - len(row)))
        return dataset


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
        return [GuardedXLSX]

    @property
    def export_formats(self):
        return [PortalXLSX]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, excel.BadFile):  # the guard's Chinese message, not the exception's name
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_import(self, request, **kwargs):
        # The confirmation reads the stored file again (through the guard): a refusal there is a
        # message on the import page, not a server error.
        try:
            return super().process_import(request, **kwargs)
        except excel.BadFile as exc:
            messages.error(request, exc.message)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")

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


class ResourceFilter(admin.SimpleListFilter):
    """The template by its Chinese title (the stored value is the command-line name, e.g. persons)."""

    title = "模板"
    parameter_name = "resource"

    def lookups(self, request, model_admin):
        from sheets.resources import RESOURCE_PATHS, get_resource_class

        return [(name, get_resource_class(name).import_title) for name in RESOURCE_PATHS]

    def queryset(self, request, queryset):
        return queryset.filter(resource=self.value()) if self.value() else queryset


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = [
        "uploaded_at",
        "template",
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
    list_filter = ["status", ResourceFilter, "source", "street"]
    search_fields = ["file_name", "user__username"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "resource":
            kwargs["choices"] = ResourceFilter.lookups(None, request, self)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description="模板", ordering="resource")
    def template(self, obj) -> str:
        return obj.resource_title

    date_hierarchy = "uploaded_at"
    exclude = ["file_data"]
    list_select_related = ["user", "street"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).defer("file_data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
