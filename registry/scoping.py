"""Street scoping: the one rule every door into the data applies (access.md)."""

from __future__ import annotations

from django.db import models

from registry.roles import sees_all_streets, street_of


class StreetScopedQuerySet(models.QuerySet):
    """`for_user(user)`: staff and admins see every street, a clerk his own, anybody else nothing.

    Subclasses name the path from the model to its street in `street_field`
    (a person: "street"; a grant: "person__street"; a care home: "street").
    """

    street_field = "person__street"

    def for_user(self, user):
        if sees_all_streets(user):
            return self
        street = street_of(user)
        if street is None:
            return self.none()
        return self.filter(**{self.street_field: street})
