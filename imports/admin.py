"""The import log in the admin (read-only). The templates' import/export buttons are
sheets.admin.PortalImportExportMixin, on each app's admin."""

from django.contrib import admin

from core.forms import PortalModelForm
from imports.models import ImportJob
from imports.resources import resource_choices


class ResourceFilter(admin.SimpleListFilter):
    """The template by its Chinese title (the stored value is the command-line name, e.g. persons)."""

    title = "模板"
    parameter_name = "resource"

    def lookups(self, request, model_admin):
        return resource_choices()

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
