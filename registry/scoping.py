"""Street and community scoping: the one rule every door into the data applies (access.md)."""

from __future__ import annotations

from django.db import models

from registry.roles import community_of, is_community_worker, sees_all_streets, street_of


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

    def for_user(self, user):
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
