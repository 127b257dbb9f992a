"""Django admin of the portal's own data (administrators only): streets, communities, the roster,
users with their role and street, groups with Chinese permission names; and the admin base every app's
admin uses (`ScopedAdminMixin`: querysets and choices through `for_user`)."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from core import services
from core.forms import PortalModelForm, ShownFieldErrorsMixin
from core.models import Community, CommunityWorker, Street, UserProfile
from core.record_services import RecordServices
from core.roles import Role, sees_all_streets

User = get_user_model()


class ScopedAdminMixin:
    """get_queryset and foreign-key choices through for_user(request.user)."""

    form = PortalModelForm
    scoped_related_models: tuple = (Street, Community)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.for_user(request.user) if hasattr(queryset, "for_user") else queryset

    # simple_history's pages: its history list falls back to the latest past version when
    # get_queryset hides the object, and its past-version page reads the history table directly, so
    # both would show another street's record. Out of scope answers 404 there as on the change page.
    # (A deleted record has no current row to scope: only the users who see every street open it.)

    def history_view(self, request, object_id, extra_context=None):
        self._history_in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _history_in_scope_or_404(self, request, object_id) -> None:
        if self.get_object(request, unquote(object_id)) is None and not sees_all_streets(request.user):
            raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only these are chosen within the user's scope: a placement's home, for one, may be any
        # street's home. The register adds persons (registry.admin.ScopedAdminMixin).
        related = db_field.related_model
        if related in self.scoped_related_models:
            kwargs["queryset"] = related.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """An admin that only shows: its records are written by the services, on the portal's pages."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RecordServicesAdminMixin:
    """A person's record saved through its services (`record_services`, a
    core.record_services.RecordServices): the create_record and update_record that
    registry.admin.ScopedRecordAdmin's save_model calls."""

    record_services: RecordServices

    def create_record(self, request, person, values):
        return self.record_services.create_record(request.user, {"person": person, **values})

    def update_record(self, request, obj, values):
        return self.record_services.update_record(request.user, obj, values)


class ServiceSavedAdminMixin:
    """An admin whose saves go through the app's services (`record_services`, a
    core.record_services.RecordServices), and which never deletes (records end with a date).

    The create service is handed `create_fields` (by default `service_fields`), the update service
    `service_fields`: the record's values as the admin form set them.
    """

    record_services: RecordServices
    service_fields: Collection[str] = ()
    create_fields: Collection[str] = ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            self.record_services.update_record(request.user, obj, _values(obj, self.service_fields))
        else:
            fields = self.create_fields or self.service_fields
            created = self.record_services.create_record(request.user, _values(obj, fields))
            obj.pk = created.pk
            obj._state.adding = False


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


@admin.register(Street)
class StreetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "order"]
    ordering = ["order"]
    search_fields = ["name", "short_name"]


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "street"]
    list_filter = ["street"]
    list_select_related = ["street"]
    search_fields = ["name"]


@admin.register(CommunityWorker)
class CommunityWorkerAdmin(SimpleHistoryAdmin):
    """专职委员花名册: a term ends with 离任日期; the row and its change history stay."""

    form = PortalModelForm

    list_display = ["name", "community", "street", "phone", "since", "until"]
    list_filter = ["community__street", ("until", admin.EmptyFieldListFilter)]
    list_select_related = ["community__street"]
    search_fields = ["name", "community__name"]
    # a plain select: the admin's autocomplete widget fails (500) when it re-renders a bad value
    date_hierarchy = "since"

    @admin.display(description="街道", ordering="community__street__order")
    def street(self, obj) -> str:
        return obj.community.street.name

    def get_queryset(self, request):
        # Administrators only (the admin); scoped like the communities it lists.
        return super().get_queryset(request).filter(community__in=Community.objects.for_user(request.user))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a term ends with 离任日期; the roster keeps its history

    def save_model(self, request, obj, form, change):
        services.community_worker_save(acting_user=request.user, entry=obj)


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    form = PortalModelForm
    can_delete = False
    verbose_name = "所属街道和社区（街道经办人必填街道；社区专职委员必填街道和社区）"
    verbose_name_plural = verbose_name
    fields = ["street", "community"]


class PortalUserChangeForm(ShownFieldErrorsMixin, UserChangeForm):
    pass


class PortalUserCreationForm(ShownFieldErrorsMixin, AdminUserCreationForm):
    pass


class PortalUserAdmin(DjangoUserAdmin):
    """Users with their role (a group) and a clerk's street on the profile inline."""

    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    inlines = [UserProfileInline]
    list_display = ["username", "full_name", "role", "street", "community", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser"]

    @admin.display(description="姓名")
    def full_name(self, obj) -> str:
        return obj.get_full_name() or "—"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return chinese_permissions(super().formfield_for_manytomany(db_field, request, **kwargs))

    @admin.display(description="角色")
    def role(self, obj) -> str:
        if obj.is_superuser:
            return Role.ADMIN.label
        names = sorted(g.name for g in obj.groups.all())  # prefetched
        return "、".join(names) or "未分配"

    @admin.display(description="街道")
    def street(self, obj) -> str:
        profile = getattr(obj, "portal_profile", None)
        return profile.street.name if profile and profile.street else "—"

    @admin.display(description="社区")
    def community(self, obj) -> str:
        profile = getattr(obj, "portal_profile", None)
        return profile.community.name if profile and profile.community else "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .select_related("portal_profile__street", "portal_profile__community")
        )


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


PERMISSION_ACTIONS = {"add": "可添加", "change": "可修改", "delete": "可删除", "view": "可查看"}


def permission_label(permission) -> str:
    """可修改 | 持证残疾人登记 | 持证残疾人, instead of Django's English "Can change person"."""
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action not in PERMISSION_ACTIONS or model is None or model_name != model._meta.model_name:
        return permission.name
    return (
        f"{PERMISSION_ACTIONS[action]} | {model._meta.app_config.verbose_name} | {model._meta.verbose_name}"
    )


def chinese_permissions(formfield):
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None and queryset.model is Permission:
        formfield.label_from_instance = permission_label
    return formfield


class PortalGroupAdmin(GroupAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return chinese_permissions(super().formfield_for_manytomany(db_field, request, **kwargs))


admin.site.unregister(Group)
admin.site.register(Group, PortalGroupAdmin)


def _axes_columns_in_chinese() -> None:
    """django-axes names two columns by their method names (Expiration, Status)."""
    from axes.admin import AccessAttemptAdmin

    AccessAttemptAdmin.expiration.short_description = "过期时间"
    AccessAttemptAdmin.status.short_description = "状态"


_axes_columns_in_chinese()
