"""Access logging (views of a person's detail page, exports of person data)."""

from registry.models import AccessLog


def log_person_view(*, user, person) -> None:
    AccessLog.objects.create(
        user=user, action=AccessLog.Action.VIEW, object_type="person", person=person, row_count=1
    )


def log_export(*, user, object_type: str, row_count: int, detail: str = "") -> None:
    AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type=object_type,
        row_count=row_count,
        detail=detail[:500],
    )
