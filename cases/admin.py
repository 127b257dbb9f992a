"""Django admin of 信访与维权: cases scoped like every other door and saved through the services
(their actions shown, written on the case's page); 办理时限 per source, saved through the service."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases import services
from cases.models import Case, CaseAction, DeadlineRule
from cases.resources import CaseResource
from core.admin import ReadOnlyAdminMixin
from core.forms import PortalModelForm
from registry.admin import AccessLoggedAdminMixin, ScopedAdminMixin
from sheets.admin import PortalImportExportMixin


class CaseActionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseAction
    form = PortalModelForm
    extra = 0
    fields = ["done_on", "note", "by", "created_at"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(PortalImportExportMixin, AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    resource_classes = [CaseResource]
    list_display = [
        "number",
        "received_on",
        "source",
        "street",
        "subject",
        "category",
        "deadline",
        "closed_on",
    ]
    list_filter = ["source", "category", "street", ("closed_on", admin.EmptyFieldListFilter)]
    list_select_related = ["street", "person"]
    search_fields = ["=number", "subject", "petitioner", "person__name", "=person__id_number"]
    date_hierarchy = "received_on"
    raw_id_fields = ["person"]
    readonly_fields = ["deadline_from_rule", "created_at", "updated_at"]
    inlines = [CaseActionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a case is closed, never deleted

    def save_model(self, request, obj, form, change):
        fields = [name for name in services.UPDATABLE_FIELDS if name in form.cleaned_data]
        if change:
            original = Case.objects.get(pk=obj.pk)
            values = {name: getattr(obj, name) for name in fields if name in form.changed_data}
            if "deadline" not in form.changed_data:
                values.pop("deadline", None)
            saved = services.case_update(acting_user=request.user, case=original, **values)
            closing = form.cleaned_data.get("closed_on")
            if closing and saved.closed_on is None:
                services.case_close(
                    acting_user=request.user,
                    case=saved,
                    reply=saved.reply,
                    outcome=saved.outcome,
                    closed_on=closing,
                    replied_on=saved.replied_on,
                )
        else:
            created = services.case_create(
                acting_user=request.user, **{name: getattr(obj, name) for name in services.CREATE_FIELDS}
            )
            obj.pk = created.pk
            obj._state.adding = False
        obj.refresh_from_db()


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    form = PortalModelForm
    list_display = ["source", "working_days", "note", "updated_at"]
    fields = ["source", "working_days", "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["source"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.deadline_rule_update(
                acting_user=request.user, rule=obj, working_days=obj.working_days, note=obj.note
            )
        else:
            super().save_model(request, obj, form, change)
