"""The four roles of access.md, as Django groups, and what each may see and do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from registry.models import Street


class Role(models.TextChoices):
    """The value is the command-line name, the label is the Django group's name."""

    DISTRICT_STAFF = "district_staff", "区残联工作人员"
    STREET_CLERK = "street_clerk", "街道经办人"
    OFFICIAL = "official", "领导查看"
    ADMIN = "admin", "系统管理员"


ROLE_BY_GROUP = {role.label: role for role in Role}

# The one message of every door (page, API, import, admin) when a clerk touches another street's
# record: it says nothing else about that record.
OTHER_STREET_MESSAGE = "无权操作其他街道的记录"


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role | None:
    """The user's role; superusers are administrators. Cached on the user object per request."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_role", "unset")
    if cached != "unset":
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        # The widest role wins when an account has several groups.
        order = [Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_CLERK, Role.OFFICIAL]
        role = next((r for r in order if r.label in names), None)
    user._portal_role = role
    return role


def street_of(user) -> Street | None:
    """A clerk's street (from his profile); None for everyone else."""
    if role_of(user) != Role.STREET_CLERK:
        return None
    cached = getattr(user, "_portal_street", "unset")
    if cached != "unset":
        return cached
    profile = getattr(user, "portal_profile", None)
    street = profile.street if profile is not None else None
    user._portal_street = street
    return street


def sees_all_streets(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.DISTRICT_STAFF)


def sees_person_data(user) -> bool:
    """District staff, administrators and clerks with a street see names and ID numbers."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.DISTRICT_STAFF):
        return True
    return role == Role.STREET_CLERK and street_of(user) is not None


def may_edit_records(user) -> bool:
    """Persons and service records: staff and admins everywhere, clerks in their street."""
    return sees_person_data(user)


def may_manage_indicators(user) -> bool:
    """Targets, reference growth rates and 'recompute now': district staff and administrators."""
    return sees_all_streets(user)
