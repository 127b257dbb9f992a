"""View decorators and DRF permissions built on the roles; scoping itself is `for_user()`."""

from functools import wraps

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import (
    COMMUNITY_WORKER_FORBIDDEN_MESSAGE,
    may_edit_records,
    may_manage_indicators,
    may_use_domain,
    sees_person_data,
)


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
    """Pages with names and ID numbers, and the writes of person records (the same roles):
    officials and clerks without a street get 404, not a hint."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not sees_person_data(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """District staff and administrators only (targets, run log, recompute)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_manage_indicators(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
