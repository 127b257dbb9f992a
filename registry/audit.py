"""The access log: one row per request that reads person data (access.md), whatever the door.

Pages, the API, the admin, gap lists and exports all call `log_access` (or its two shorthands) once
per request with what they showed: one person (a detail or edit page) or the rows of a list page, API
page or export. The persons a list showed are kept as ids in the same row, so the log can answer
"who looked at this person" without one write per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.clientip import client_ip
from registry.models import AccessLog, Person

# A list row keeps the ids of the persons it showed up to this many (a page of the API or of the admin
# is far smaller); beyond, only the count is kept (exports name their filter in `detail`).
MAX_LOGGED_PERSON_IDS = 1000

# What the access log shows for an object type that is no model of the portal (an export of a
# template, a page): filled by the apps above the registry in their AppConfig.ready().
EXPORT_LABELS: dict[str, str] = {}


def register_export_label(object_type: str, label: str) -> None:
    EXPORT_LABELS[object_type] = label


def person_id_of(obj) -> int | None:
    """The person a row shows: the person itself, or the person of a record; None for other objects."""
    if isinstance(obj, Person):
        return obj.pk
    return getattr(obj, "person_id", None)


def channel_of(request) -> str:
    if request is None:
        return AccessLog.Channel.COMMAND
    path = getattr(request, "path", "") or ""
    if path.startswith("/admin/"):
        return AccessLog.Channel.ADMIN
    if path.startswith("/api/"):
        # DRF's Request carries the token it authenticated with; a session leaves `auth` None.
        return AccessLog.Channel.API_TOKEN if getattr(request, "auth", None) else AccessLog.Channel.API
    return AccessLog.Channel.PAGE


def log_access(
    *,
    request=None,
    user=None,
    action: str,
    object_type: str,
    obj=None,
    rows: Iterable | None = None,
    row_count: int | None = None,
    detail: str = "",
) -> AccessLog:
    """Write the request's one access-log row.

    `obj` is the one object a detail or edit page showed (a person or one of their records); `rows` the
    objects a list showed (their persons' ids are kept); `row_count` overrides the count (exports).
    """
    person_ids: list[int] = []
    person_id = None
    object_id = None
    if obj is not None:
        object_id = obj.pk
        person_id = person_id_of(obj)
        count = 1
    else:
        count = 0
        if rows is not None:
            seen: dict[int, None] = {}
            for row in rows:
                count += 1
                pid = person_id_of(row)
                if pid is not None and len(seen) < MAX_LOGGED_PERSON_IDS:
                    seen[pid] = None
            person_ids = list(seen)
    if row_count is not None:
        count = row_count
    return AccessLog.objects.create(
        user=user if user is not None else request.user,
        action=action,
        channel=channel_of(request),
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        person_ids=person_ids,
        row_count=count,
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        detail=detail[:500],
    )


def log_person_view(*, user, person, request=None) -> None:
    log_access(request=request, user=user, action=AccessLog.Action.VIEW, object_type="person", obj=person)


def log_export(*, user, object_type: str, row_count: int, detail: str = "", request=None) -> None:
    log_access(
        request=request,
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type=object_type,
        row_count=row_count,
        detail=detail,
    )
