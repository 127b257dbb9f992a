"""Admin import/export of a template (sheets.resources.PortalResource).

An app's admin class gets the template's import and export buttons with

    class PersonAdmin(PortalImportExportMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
        resource_classes = [PersonResource]

Imports there run django-import-export's row-by-row machinery on the same resource (same columns,
cleaning, messages and natural keys; all or nothing; the acting user's street scope and history);
exports take the admin's own (scoped) queryset. Large files belong on the import page or the
`import_excel` command, which use the bulk importer. An uploaded file passes the same guard as on
every other door (sheets/excel.check_upload) before openpyxl reads it. Every export is handed to
`self.log_export(request, row_count=..., detail=...)`, which the admin class gets from the layer
that owns the access log (registry.admin.AccessLoggedAdminMixin): a class without it fails on its
first export.
"""

import io

import openpyxl
import tablib
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from sheets import excel, xlsx


class PortalXLSX(XLSX):
    """.xlsx the portal's way, both directions.

    Reading: django-import-export's reader (openpyxl, read-only, the active sheet) behind the
    portal's guard, and sizing the rows from the cells, not from the sheet's <dimension> (which can
    lie: "A1:XFD1048576" would pad every row to 16,384 cells). Writing: the portal's one writer
    (formulas neutralised, dates and amounts typed, header frozen).
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
        return [PortalXLSX]

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
        self.log_export(request, row_count=len(data), detail=f"管理后台导出{self.model._meta.verbose_name}")
        return data
