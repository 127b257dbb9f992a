"""Writes to the portal's own reference data: the roster of 专职委员 and community names.

Like every service: keyword-only, the acting user first, Chinese `ValidationError`s, history with the
acting user. Merging two communities moves persons, so it lives with the register (registry.services).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Community, CommunityWorker
from core.roles import sees_all_streets

# The roster of 专职委员 ------------------------------------------------------------------------


@transaction.atomic
def community_worker_save(*, acting_user: AbstractBaseUser, entry: CommunityWorker) -> CommunityWorker:
    """Add a 专职委员 to a community's roster or correct/end an entry (a term ends with `until`; the row
    and its history stay). District staff and administrators keep the roster."""
    if not sees_all_streets(acting_user):
        raise ValidationError("只有区残联工作人员和系统管理员可以维护专职委员花名册")
    entry.full_clean()
    entry._history_user = acting_user
    entry.save()
    return entry


# Communities: rename, and merge a typo into the right community ------------------------------------

MESSAGE_COMMUNITY_STAFF_ONLY = "只有区残联工作人员和系统管理员可以修改社区名称或合并社区"


@transaction.atomic
def community_rename(*, acting_user: AbstractBaseUser, community: Community, name: str) -> Community:
    """Rename a community (its history keeps the old name and who renamed it). A name that another
    community of the street already has is refused: merge them instead."""
    if not sees_all_streets(acting_user):
        raise ValidationError(MESSAGE_COMMUNITY_STAFF_ONLY)
    name = "".join((name or "").split())
    if not name:
        raise ValidationError("请填写社区名称")
    if not name.isprintable():
        raise ValidationError("社区名称含有无效字符")
    if Community.objects.filter(street_id=community.street_id, name=name).exclude(pk=community.pk).exists():
        raise ValidationError(f"{community.street.name}已有“{name}”：如两者为同一社区，请使用“合并”")
    community.name = name
    community.full_clean()
    community._history_user = acting_user
    community._change_reason = "社区改名"
    community.save()
    return community
