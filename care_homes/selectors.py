"""Reads of the care-home domain: scoped lists, a home's page, a person's placements."""

from __future__ import annotations

from django.db.models import QuerySet

from care_homes.models import AuxProject, CareHome, Placement
from registry.models import Person


def homes(*, user) -> QuerySet[CareHome]:
    """The homes the user may open (a home's page and forms)."""
    return CareHome.objects.for_user(user).select_related("street")


def home_list(user) -> QuerySet[CareHome]:
    return CareHome.objects.for_user(user).select_related("street").with_current_counts()


def placement_home_choices() -> QuerySet[CareHome]:
    """Homes a placement may name: every home of the district, whatever the clerk's street.

    District-level homes and 居家安养 serve the whole district, and a person may attend a
    neighbouring street's 残疾人之家; the placement itself is scoped by its person's street.
    Operating homes come first.
    """
    return CareHome.objects.select_related("street").order_by("closed_on", "street__order", "name")


def home_placements(home: CareHome, user) -> QuerySet[Placement]:
    """The home's placements the user may see: persons of his streets only."""
    return (
        Placement.objects.for_user(user)
        .filter(home=home)
        .select_related("person", "person__street")
        .order_by("-start_date", "-id")
    )


def hidden_current_placements(home: CareHome, user) -> int:
    """Persons of other streets currently at the home: a count, never names."""
    visible = Placement.objects.for_user(user).filter(home=home).current()
    return Placement.objects.filter(home=home).current().exclude(pk__in=visible.values("pk")).count()


def home_projects(home: CareHome) -> QuerySet[AuxProject]:
    return home.aux_projects.order_by("-start_date", "-id")


def person_placements(person: Person) -> list[Placement]:
    return list(person.placements.select_related("home").order_by("-start_date", "-id"))


def placement_list(user) -> QuerySet[Placement]:
    return Placement.objects.for_user(user).select_related("person", "person__street", "home")


def project_list(user) -> QuerySet[AuxProject]:
    return AuxProject.objects.for_user(user).select_related("home", "home__street")
