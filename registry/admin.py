"""Django admin (administrators only): the register, users with their role and street, the access log.

Querysets and choices are scoped with `for_user` like every other door into the data, and saves of
persons and surveys go through the services so that validation and history are the same.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from core import admin as core_admin
from core.forms import PortalModelForm
from core.idnumbers import normalize_id_number
from core.models import Community, Street
from registry import audit, services
from registry.audit import log_access
from registry.forms import validate_person_unique
from registry.models import PERSON_READ_ONLY_FIELDS, AccessLog, Person, Survey, mask_bank_account
from registry.resources import PersonResource, SurveyResource
from sheets.admin import PortalImportExportMixin

User = get_user_model()


class ScopedAdminMixin(core_admin.ScopedAdminMixin):
    """The admin base of person data: persons too are chosen within the user's scope."""

    scoped_related_models = (Street, Community, Person)


class AccessLoggedAdminMixin:
    """Admin reads of person data write one access-log row per request (access.md).

    The changelist logs the rows of the page it shows and their persons; a change page and a history
    page log their object; an export of sheets.admin.PortalImportExportMixin is logged through
    `log_export`, always. An admin of objects that are not person data sets `access_log = False`.
    """

    access_log = True

    def log_export(self, request, *, row_count: int, detail: str) -> None:
        audit.log_export(
            request=request,
            user=request.user,
            object_type=self.model._meta.model_name,
            row_count=row_count,
            detail=detail,
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if response.status_code == 200 else None
        if self.access_log and request.method == "GET" and changelist is not None:
            log_access(
                request=request,
                action=AccessLog.Action.LIST,
                object_type=self.model._meta.model_name,
                rows=changelist.result_list,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_object_view(request, response, "original", AccessLog.Action.VIEW)
        return response

    def render_history_view(self, request, template, context, **kwargs):
        # simple_history's history list and past-version pages (before and after values).
        response = super().render_history_view(request, template, context, **kwargs)
        if self.access_log and request.method == "GET" and response.status_code == 200:
            obj = context.get("object") or context.get("original")
            if obj is not None:
                self._log_object(request, obj, detail="变更记录")
        return response

    def _log_object_view(self, request, response, context_key, action):
        if not self.access_log or request.method != "GET" or response.status_code != 200:
            return
        obj = getattr(response, "context_data", {}).get(context_key)
        if obj is not None:
            self._log_object(request, obj)

    def _log_object(self, request, obj, detail=""):
        log_access(
            request=request,
            action=AccessLog.Action.VIEW,
            object_type=self.model._meta.model_name,
            obj=obj,
            detail=detail,
        )


class ScopedRecordAdmin(AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """A person's record in a domain app: scoped, history kept, saved through the domain services.

    Subclasses name `service_fields` and define `create_record(request, person, values)` and
    `update_record(request, obj, values)`. Records end with a date or are corrected, never deleted:
    the delete permission is withheld.
    """

    raw_id_fields = ["person"]
    list_select_related = ["person", "person__street"]
    service_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        # A record keeps its person (as in the services and the API).
        return [*self.readonly_fields, "person"] if obj is not None else list(self.readonly_fields)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="公民身份号码")
    def masked_id(self, obj):
        return obj.person.masked_id_number

    @admin.display(description="街道", ordering="person__street__order")
    def street(self, obj):
        return obj.person.street

    def service_values(self, obj, form) -> dict:
        """The values handed to the services: the record's, as the admin form set them (a field the
        form does not show is left to the service)."""
        return {name: getattr(obj, name) for name in self.service_fields if name in form.cleaned_data}

    def save_model(self, request, obj, form, change):
        values = self.service_values(obj, form)
        if change:
            self.update_record(request, obj, values)
        else:
            created = self.create_record(request, obj.person, values)
            obj.pk, obj.created_at, obj.updated_at = created.pk, created.created_at, created.updated_at
            obj._state.adding = False


class PersonRecordAdmin(core_admin.RecordServicesAdminMixin, PortalImportExportMixin, ScopedRecordAdmin):
    """A person's record in a domain app saved through its `record_services`, imported and exported
    with its template (`resource_classes`)."""


class SurveyInline(core_admin.ReadOnlyAdminMixin, admin.TabularInline):
    """Shown only: surveys are added and corrected on their own form, through the service."""

    model = Survey
    form = PortalModelForm
    extra = 0
    fields = ["year", "household_size", "household_income", "low_income_type", "dibao_eligible"]
    show_change_link = True


class PersonAdminForm(PortalModelForm):
    """The admin's person form: the uniqueness checks and messages of the portal's (PersonForm)."""

    user = None  # the acting user, set by PersonAdmin.get_form

    def validate_unique(self):
        validate_person_unique(self)


@admin.register(Person)
class PersonAdmin(PortalImportExportMixin, AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "masked_id", "category", "grade", "street", "community", "issued_on", "status"]
    list_filter = ["street", "status", "category", "grade"]
    list_select_related = ["street", "community"]
    search_fields = ["name", "=id_number", "=certificate_number"]
    readonly_fields = [*PERSON_READ_ONLY_FIELDS, "access_log_link", "masked_bank_account"]
    fieldsets = [
        (None, {"fields": ["name", "id_number", "certificate_number", "sex", "birth_date"]}),
        ("残疾情况", {"fields": ["category", "grade", "issued_on"]}),
        ("所属与联系方式", {"fields": ["street", "community", "address", "phone"]}),
        # the account is shown masked; it is changed on the person's page, never shown in full
        ("银行账户", {"fields": ["bank_name", "masked_bank_account"]}),
        ("状态", {"fields": ["status", "status_changed_on", "created_at", "updated_at"]}),
        ("访问记录", {"fields": ["access_log_link"]}),
    ]
    form = PersonAdminForm
    inlines = [SurveyInline]
    show_full_result_count = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # a person leaves the register by a status change, never by deletion

    @admin.display(description="公民身份号码", ordering="id_number")
    def masked_id(self, obj: Person) -> str:
        return obj.masked_id_number

    @admin.display(description="谁看过此人")
    def access_log_link(self, obj: Person) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:registry_accesslog_changelist") + "?" + urlencode({"q": obj.id_number})
        return format_html('<a href="{}">查看此人的访问日志</a>', url)

    @admin.display(description="银行账号")
    def masked_bank_account(self, obj: Person) -> str:
        return obj.masked_bank_account or "—"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The admin's history page shows bank accounts masked, like every page but the bank file."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        label = str(Person._meta.get_field("bank_account").verbose_name)
        for record in historical_records:
            for change in getattr(record, "history_delta_changes", None) or []:
                if str(change["field"]) in (label, "bank_account"):
                    change["old"] = mask_bank_account(str(change["old"] or ""))
                    change["new"] = mask_bank_account(str(change["new"] or ""))

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in services.PERSON_EDITABLE_FIELDS}
        if change:
            original = Person.objects.get(pk=obj.pk)
            changes = {k: v for k, v in data.items() if k in form.changed_data}
            services.person_update(acting_user=request.user, person=original, **changes)
        else:
            created = services.person_register(acting_user=request.user, **data)
            obj.pk = created.pk
            obj._state.adding = False
        obj.refresh_from_db()


@admin.register(Survey)
class SurveyAdmin(PortalImportExportMixin, AccessLoggedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    resource_classes = [SurveyResource]
    list_display = ["person", "year", "household_size", "household_income", "low_income_type"]
    list_filter = ["year", "low_income_type", "person__street"]
    list_select_related = ["person"]
    search_fields = ["person__name", "=person__id_number"]
    raw_id_fields = ["person"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["person", "year"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in services.SURVEY_EDITABLE_FIELDS}
        if change:
            services.survey_update(acting_user=request.user, survey=Survey.objects.get(pk=obj.pk), **fields)
        else:
            created = services.survey_create(
                acting_user=request.user, person=obj.person, year=obj.year, **fields
            )
            obj.pk = created.pk
            obj._state.adding = False
        obj.refresh_from_db()


ACCESS_OBJECT_LABELS = {
    "data_quality": "数据质量",
    "archive": "档案导出",
    "payment_bank_file": "银行发放文件",
    "payment_roll": "发放名册",
    "payment_recovery": "追回台账",
    "certificate_application": "办证申请",
    "missing_entitlements": "应享未享",
}


def access_object_label(code: str) -> str:
    """An access log's object in Chinese: a model's name, a page's section, or a known page."""
    if code in ACCESS_OBJECT_LABELS:
        return ACCESS_OBJECT_LABELS[code]
    app_label, _, rest = code.partition(".")
    if rest:  # a person's section of a domain, e.g. subsidies.person_section
        try:
            return f"{apps.get_app_config(app_label).verbose_name}（人员页面）"
        except LookupError:
            return code
    for model in apps.get_models():
        if model._meta.model_name == code:
            return str(model._meta.verbose_name)
    return audit.EXPORT_LABELS.get(code, code)


@admin.register(AccessLog)
class AccessLogAdmin(core_admin.ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only. "Who looked at this person": search a name or an ID number (also finds the lists and
    API pages that showed the person); filter by user, action, channel and date."""

    form = PortalModelForm

    list_display = [
        "at",
        "user",
        "action",
        "channel",
        "object_label",
        "person",
        "row_count",
        "ip_address",
        "path",
    ]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter), "action", "channel", "object_type"]

    @admin.display(description="对象", ordering="object_type")
    def object_label(self, obj) -> str:
        return access_object_label(obj.object_type)

    list_select_related = ["user", "person"]
    search_fields = ["user__username", "person__name", "=person__id_number", "detail"]
    search_help_text = "输入姓名、身份证号或用户名：查出看过此人（含列表、接口分页）的记录"
    date_hierarchy = "at"
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        persons = Person.objects.filter(Q(name=term) | Q(id_number=normalize_id_number(term)))
        person_pks = list(persons.values_list("pk", flat=True)[:100])
        if not person_pks:
            return queryset.filter(Q(user__username=term) | Q(detail__icontains=term)), False
        # A person: the rows that name them, and the lists that showed them (JSON containment, served
        # by a GIN index on PostgreSQL, migration 0007); both conditions use an index.
        condition = Q(person_id__in=person_pks)
        if connection.vendor == "postgresql":
            for pk in person_pks:
                condition |= Q(person_ids__contains=[pk])
        return queryset.filter(condition), False
