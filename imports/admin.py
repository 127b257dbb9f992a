"""The import log in the Django admin (read-only: jobs are written by the import flow only).

The ten resources are registered on their apps' admin classes by those apps' admin.py files with
`ImportExportModelAdmin` (or `ImportExportMixin`) and `resource_classes = [<Resource>]`.
"""

from django.contrib import admin

from imports.models import ImportJob


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
