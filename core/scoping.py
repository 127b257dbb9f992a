"""Street and community scoping: the one rule every door into the data applies (access.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from core.roles import (
    OTHER_COMMUNITY_MESSAGE,
    OTHER_STREET_MESSAGE,
    community_of,
    is_community_worker,
    may_edit_records,
    sees_all_streets,
    street_of,
)


def opens_to(model: type[models.Model], user) -> bool:
    """Whether the model's records may be shown to the user at all: every model is open to the
    roles that see person data, except the closed ones for a community worker."""
    if not is_community_worker(user):
        return True
    return getattr(model._default_manager.all(), "community_field", None) is not None


class StreetScopedQuerySet(models.QuerySet):
    """`for_user(user)`: staff and admins see every street, a clerk his own street, a community worker
    his own community, anybody else nothing.

    Subclasses name the path from the model to its street in `street_field`
    (a person: "street"; a grant: "person__street"; a care home: "street"), and the path to its
    community in `community_field`; `community_field = None` closes the model to community workers
    (grants, care homes, placements, projects, imports, payment rolls).
    """

    street_field = "person__street"
    # Closed by default: a new model is opened to community workers deliberately.
    community_field: str | None = None

    def for_user(self, user, action: str = "view"):
        """The records the user may see (`action="view"`) or write (`action="change"`: the same scope,
        and nothing for a role that writes nothing). Writing one record: `ensure_may_change`."""
        if action == "change" and not may_edit_records(user):
            return self.none()
        if sees_all_streets(user):
            return self
        street = street_of(user)
        if street is None:
            return self.none()
        scoped = self.filter(**{self.street_field: street})
        if is_community_worker(user):
            if self.community_field is None:
                return self.none()
            scoped = scoped.filter(**{self.community_field: community_of(user).pk})
        return scoped


# The one write rule ---------------------------------------------------------------------------------

NO_WRITE_MESSAGE = "无权修改个人数据"


def _follow(instance: models.Model, path: str):
    """The id at the end of a scope path on an instance, saved or not: "person__street" -> the person's
    street id, "street" -> the street id, "pk" -> the instance's own id."""
    *relations, last = path.split("__")
    obj = instance
    for name in relations:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    return getattr(obj, f"{last}_id", None) if hasattr(obj, f"{last}_id") else getattr(obj, last, None)


def scope_of(instance: models.Model) -> tuple[int | None, int | None]:
    """(street id, community id) of a record, by the paths its queryset names for `for_user`."""
    queryset = type(instance)._default_manager.all()
    street_field = getattr(queryset, "street_field", None)
    community_field = getattr(queryset, "community_field", None)
    street_id = _follow(instance, street_field) if street_field else None
    community_id = _follow(instance, community_field) if community_field else None
    return street_id, community_id


def ensure_may_change(user, instance: models.Model) -> None:
    """The write side of `for_user`: every door (service, API, form, import row, admin) that writes a
    record calls this, saved or new, and gets the same Chinese messages.

    Staff and admins write everywhere; a clerk only in his street; a community worker only in his
    community, and never a model closed to him; officials nowhere.
    """
    if not may_edit_records(user):
        raise ValidationError(NO_WRITE_MESSAGE)
    if sees_all_streets(user):
        return
    street_id, community_id = scope_of(instance)
    own = street_of(user)
    if own is None or (street_id is not None and own.pk != street_id):
        raise ValidationError({"street": OTHER_STREET_MESSAGE})
    if is_community_worker(user):
        own_community = community_of(user)
        if not opens_to(type(instance), user) or own_community is None or own_community.pk != community_id:
            raise ValidationError({"community": OTHER_COMMUNITY_MESSAGE})
