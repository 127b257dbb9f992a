"""Writes of the care-home domain: homes, placements (托养服务) and auxiliary employment projects.

Every function validates (full_clean, Chinese messages), saves, and records the acting user in the
record's history. Closing a home or ending a placement or project sets a date; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from care_homes.models import AuxProject, CareHome, Placement
from registry.models import Person, Street
from registry.record_services import apply_changes, save_validated

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

HOME_FIELDS = frozenset({"name", "level", "street", "is_disabled_home", "rating", "opened_on", "closed_on"})
PLACEMENT_FIELDS = frozenset({"home", "mode", "start_date", "end_date"})
PROJECT_FIELDS = frozenset({"name", "start_date", "end_date", "participants"})


def check_home_operating(home: CareHome, start_date: dt.date | None) -> None:
    """A placement or project starts while its home operates (the closing day no longer counts)."""
    if home is None or start_date is None:
        return
    if start_date < home.opened_on:
        raise ValidationError({"start_date": f"开始日期早于该机构的启用日期（{home.opened_on:%Y-%m-%d}）"})
    if home.closed_on is not None and start_date >= home.closed_on:
        raise ValidationError({"start_date": f"该机构已于{home.closed_on:%Y-%m-%d}停用，不能在此后开始"})


@transaction.atomic
def care_home_create(
    *,
    acting_user: AbstractBaseUser | None,
    name: str,
    level: str,
    street: Street,
    opened_on: dt.date,
    is_disabled_home: bool = False,
    rating: str = "",
    closed_on: dt.date | None = None,
) -> CareHome:
    home = CareHome(
        name=name,
        level=level,
        street=street,
        opened_on=opened_on,
        is_disabled_home=is_disabled_home,
        rating=rating,
        closed_on=closed_on,
    )
    save_validated(home, acting_user=acting_user)
    return home


@transaction.atomic
def care_home_update(*, acting_user: AbstractBaseUser | None, home: CareHome, **changes: Any) -> CareHome:
    """Change any field of the home. A new or earlier closing date ends what still runs there, as
    care_home_close does; clearing it reopens the home (ended records stay ended)."""
    # Read from the database: a ModelForm may already have set the new value on the instance.
    previous_closed_on = CareHome.objects.filter(pk=home.pk).values_list("closed_on", flat=True).first()
    apply_changes(home, changes, HOME_FIELDS)
    save_validated(home, acting_user=acting_user)
    if home.closed_on is not None and home.closed_on != previous_closed_on:
        _end_running_records(home, acting_user=acting_user)
    return home


@transaction.atomic
def care_home_close(
    *, acting_user: AbstractBaseUser | None, home: CareHome, closed_on: dt.date
) -> tuple[CareHome, int, int]:
    """停用: from `closed_on` the home no longer operates.

    Placements and projects still running at the home end on the day before (their last day of
    service), each through its service so that history records who ended it. Returns the home and
    how many placements and projects were ended.
    """
    home.closed_on = closed_on
    save_validated(home, acting_user=acting_user)
    ended_placements, ended_projects = _end_running_records(home, acting_user=acting_user)
    return home, ended_placements, ended_projects


def _end_running_records(home: CareHome, *, acting_user: AbstractBaseUser | None) -> tuple[int, int]:
    """End placements and projects that run past the home's last operating day."""
    last_day = home.closed_on - dt.timedelta(days=1)
    running = Q(end_date__isnull=True) | Q(end_date__gt=last_day)
    placements = list(home.placements.filter(running).select_for_update())
    for placement in placements:
        placement_end(
            acting_user=acting_user, placement=placement, end_date=max(last_day, placement.start_date)
        )
    projects = list(home.aux_projects.filter(running).select_for_update())
    for project in projects:
        aux_project_end(acting_user=acting_user, project=project, end_date=max(last_day, project.start_date))
    return len(placements), len(projects)


@transaction.atomic
def placement_create(
    *,
    acting_user: AbstractBaseUser | None,
    person: Person,
    home: CareHome,
    mode: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> Placement:
    placement = Placement(person=person, home=home, mode=mode, start_date=start_date, end_date=end_date)
    check_home_operating(home, start_date)
    save_validated(placement, acting_user=acting_user)
    return placement


@transaction.atomic
def placement_update(
    *, acting_user: AbstractBaseUser | None, placement: Placement, **changes: Any
) -> Placement:
    """Change any of home, mode, start_date, end_date (a placement keeps its person)."""
    apply_changes(placement, changes, PLACEMENT_FIELDS)
    if {"home", "start_date"} & set(changes):
        check_home_operating(placement.home, placement.start_date)
    save_validated(placement, acting_user=acting_user)
    return placement


@transaction.atomic
def placement_end(
    *, acting_user: AbstractBaseUser | None, placement: Placement, end_date: dt.date
) -> Placement:
    """托养结束: the last day of service (the placement is active on that day)."""
    placement.end_date = end_date
    save_validated(placement, acting_user=acting_user)
    return placement


@transaction.atomic
def aux_project_create(
    *,
    acting_user: AbstractBaseUser | None,
    home: CareHome,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    participants: int | None = None,
) -> AuxProject:
    project = AuxProject(
        home=home, name=name, start_date=start_date, end_date=end_date, participants=participants
    )
    check_home_operating(home, start_date)
    save_validated(project, acting_user=acting_user)
    return project


@transaction.atomic
def aux_project_update(
    *, acting_user: AbstractBaseUser | None, project: AuxProject, **changes: Any
) -> AuxProject:
    """Change any of name, start_date, end_date, participants (a project stays at its home)."""
    apply_changes(project, changes, PROJECT_FIELDS)
    if "start_date" in changes:
        check_home_operating(project.home, project.start_date)
    save_validated(project, acting_user=acting_user)
    return project


@transaction.atomic
def aux_project_end(
    *, acting_user: AbstractBaseUser | None, project: AuxProject, end_date: dt.date
) -> AuxProject:
    project.end_date = end_date
    save_validated(project, acting_user=acting_user)
    return project
