"""View mixins, decorators and DRF permissions built on the roles; scoping itself is `for_user()`."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import (
    COMMUNITY_WORKER_FORBIDDEN_MESSAGE,
    may_edit_records,
    may_manage_indicators,
    may_use_domain,
    sees_person_data,
)


class PersonDataRequiredMixin(AccessMixin):
    """Pages with names and ID numbers. Officials and clerks without a street get 404, not a hint."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not sees_person_data(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class EditRecordsRequiredMixin(PersonDataRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_edit_records(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(AccessMixin):
    """District staff and administrators only (targets, run log, recompute)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_manage_indicators(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PersonDataPermission(BasePermission):
    """API: person-level data for staff, admins and clerks; writes for the same roles."""

    message = "无权访问个人数据"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and sees_person_data(user)):
            return False
        match = getattr(request, "resolver_match", None)
        if match is not None and not may_use_domain(user, match.namespace, match.view_name):
            self.message = COMMUNITY_WORKER_FORBIDDEN_MESSAGE
            return False
        return request.method in SAFE_METHODS or may_edit_records(user)


def person_data_required(view):
    """Function-view twin of PersonDataRequiredMixin."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not sees_person_data(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Function-view twin of StaffRequiredMixin."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_manage_indicators(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def edit_records_required(view):
    """Function-view twin of EditRecordsRequiredMixin: writes of person records."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_edit_records(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
