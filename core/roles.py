"""The five roles of access.md, as Django groups, and what each may see and do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from core.models import Community, Street


class Role(models.TextChoices):
    """The value is the command-line name, the label is the Django group's name."""

    DISTRICT_STAFF = "district_staff", "区残联工作人员"
    STREET_CLERK = "street_clerk", "街道经办人"
    COMMUNITY_WORKER = "community_worker", "社区专职委员"
    OFFICIAL = "official", "领导查看"
    ADMIN = "admin", "系统管理员"


ROLE_BY_GROUP = {role.label: role for role in Role}

# The one message of every door (page, API, import, admin) when a clerk touches another street's
# record: it says nothing else about that record.
OTHER_STREET_MESSAGE = "无权操作其他街道的记录"
OTHER_COMMUNITY_MESSAGE = "社区专职委员只能操作本社区人员的记录"


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
        order = [Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_CLERK, Role.COMMUNITY_WORKER, Role.OFFICIAL]
        role = next((r for r in order if r.label in names), None)
    user._portal_role = role
    return role


def _profile_of(user):
    cached = getattr(user, "_portal_profile", "unset")
    if cached == "unset":
        from core.models import UserProfile

        cached = UserProfile.objects.select_related("street", "community__street").filter(user=user).first()
        user._portal_profile = cached
    return cached


def street_of(user) -> Street | None:
    """A clerk's street, or the street of a community worker's community; None for everyone else.

    A community worker without a community has no street either: he sees nothing (access.md)."""
    role = role_of(user)
    if role == Role.STREET_CLERK:
        profile = _profile_of(user)
        return profile.street if profile is not None else None
    if role == Role.COMMUNITY_WORKER:
        community = community_of(user)
        return community.street if community is not None else None
    return None


def community_of(user) -> Community | None:
    """A community worker's community (from his profile); None for everyone else."""
    if role_of(user) != Role.COMMUNITY_WORKER:
        return None
    profile = _profile_of(user)
    return profile.community if profile is not None else None


def is_community_worker(user) -> bool:
    return role_of(user) == Role.COMMUNITY_WORKER


def sees_all_streets(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.DISTRICT_STAFF)


def sees_person_data(user) -> bool:
    """District staff, administrators, clerks with a street and community workers with a community
    see names and ID numbers (each within his scope)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.DISTRICT_STAFF):
        return True
    return role in (Role.STREET_CLERK, Role.COMMUNITY_WORKER) and street_of(user) is not None


def may_edit_records(user) -> bool:
    """Persons and service records: staff and admins everywhere, clerks in their street,
    community workers in their community."""
    return sees_person_data(user)


def may_manage_indicators(user) -> bool:
    """Targets, reference growth rates and 'recompute now': district staff and administrators."""
    return sees_all_streets(user)


# The plan domains (URL namespaces and app labels) a community worker may not use: grants, care homes
# with their placements and projects, imports, payment rolls, and organisations and volunteer teams
# (records without a person). Their pages answer 403.
COMMUNITY_WORKER_FORBIDDEN_DOMAINS = frozenset(
    {
        "subsidies",
        "subsidies_api",
        "care_homes",
        "care_homes_api",
        "imports",
        "imports_api",
        "payments",
        "payments_api",
        "certificates",
        "certificates_api",
        "organisations",
        "organisations_api",
    }
)
COMMUNITY_WORKER_FORBIDDEN_MESSAGE = "社区专职委员无权使用此功能（补贴与救助、发放名册、托养机构、办证、助残组织和Excel导入由街道或区残联办理）"


# Pages of a closed namespace a community worker still uses: the Excel export of his own lists (the
# export itself answers 403 for a closed resource, see imports.views.export).
COMMUNITY_WORKER_OPEN_VIEWS = frozenset({"imports:export"})


def may_use_domain(user, domain: str, view_name: str = "") -> bool:
    """Whether the user's role may open the pages of a plan domain (a URL namespace)."""
    if not is_community_worker(user) or domain not in COMMUNITY_WORKER_FORBIDDEN_DOMAINS:
        return True
    return view_name in COMMUNITY_WORKER_OPEN_VIEWS
