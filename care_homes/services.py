"""Writes of the care-home domain: homes, placements (托养服务) and auxiliary employment projects.

Every function validates (full_clean, Chinese messages), saves, and records the acting user in the
record's history. Closing a home or ending a placement or project sets a date; nothing is deleted.

The Excel import writes in bulk without these functions but calls the rules beyond the models'
clean() that live here: check_home_operating (care_homes/resources.py check_rules) and
end_records_after_closing (CareHomeResource.after_rows), so every door enforces them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from care_homes.models import AuxProject, CareHome, Placement
from core.models import Street
from core.record_services import RecordServices, apply_changes, save_validated
from registry.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

HOME_FIELDS = frozenset({"name", "level", "street", "is_disabled_home", "rating", "opened_on", "closed_on"})
PLACEMENT_FIELDS = frozenset({"home", "mode", "start_date", "end_date"})
PROJECT_FIELDS = frozenset({"name", "start_date", "end_date", "participants"})


def check_home_operating(home: CareHome, start_date: dt.date | None) -> None:
    """A placement or project starts while its home operates (the closing day no longer counts).

    The one place of this rule: the services below, the admin forms and both Excel import paths
    (care_homes/resources.py check_rules) call it for a new record or a new home or start date."""
    if home is None or start_date is None:
        return
    if start_date < home.opened_on:
        raise ValidationError({"start_date": f"开始日期早于该机构的启用日期（{home.opened_on:%Y-%m-%d}）"})
    if home.closed_on is not None and start_date >= home.closed_on:
        raise ValidationError({"start_date": f"该机构已于{home.closed_on:%Y-%m-%d}停用，不能在此后开始"})


def _check_home_operating_if_moved(record: Placement | AuxProject) -> None:
    """check_home_operating for a record whose home or start date differs from the stored one: a
    record of a home that later closed (or of a legacy import) keeps taking other corrections.
    Read from the database: a ModelForm may already have set the new values on the instance."""
    stored = type(record).objects.filter(pk=record.pk).values_list("home_id", "start_date").first()
    if stored != (record.home_id, record.start_date):
        check_home_operating(record.home, record.start_date)


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
    return save_validated(home, acting_user=acting_user)


@transaction.atomic
def care_home_update(*, acting_user: AbstractBaseUser | None, home: CareHome, **changes: Any) -> CareHome:
    """Change any field of the home. A new or earlier closing date ends what still runs there, as
    care_home_close does; clearing it reopens the home (ended records stay ended)."""
    # Read from the database: a ModelForm may already have set the new value on the instance.
    previous_closed_on = CareHome.objects.filter(pk=home.pk).values_list("closed_on", flat=True).first()
    apply_changes(home, changes, HOME_FIELDS)
    save_validated(home, acting_user=acting_user)
    end_records_after_closing(acting_user=acting_user, home=home, previous_closed_on=previous_closed_on)
    return home


def end_records_after_closing(
    *, acting_user: AbstractBaseUser | None, home: CareHome, previous_closed_on: dt.date | None
) -> tuple[int, int]:
    """The rule of a saved home's closing date, on every door (page, API, admin, Excel import): a
    new or earlier 停用日期 ends the placements and projects still running there on the day before;
    clearing it reopens the home (ended records stay ended). Returns how many of each were ended."""
    if home.closed_on is None or home.closed_on == previous_closed_on:
        return 0, 0
    return _end_running_records(home, acting_user=acting_user)


def records_running_after_closing(home: CareHome) -> tuple[int, int]:
    """How many placements and projects a closing date on `home` would end (an import preview)."""
    if home.closed_on is None or home.pk is None:
        return 0, 0
    running = _running_after(home.closed_on)
    return home.placements.filter(running).count(), home.aux_projects.filter(running).count()


def _running_after(closed_on: dt.date) -> Q:
    last_day = closed_on - dt.timedelta(days=1)
    return Q(end_date__isnull=True) | Q(end_date__gt=last_day)


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
    running = _running_after(home.closed_on)
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
    return save_validated(placement, acting_user=acting_user)


@transaction.atomic
def placement_update(
    *, acting_user: AbstractBaseUser | None, placement: Placement, **changes: Any
) -> Placement:
    """Change any of home, mode, start_date, end_date (a placement keeps its person)."""
    apply_changes(placement, changes, PLACEMENT_FIELDS)
    _check_home_operating_if_moved(placement)
    return save_validated(placement, acting_user=acting_user)


@transaction.atomic
def placement_end(
    *, acting_user: AbstractBaseUser | None, placement: Placement, end_date: dt.date
) -> Placement:
    """托养结束: the last day of service (the placement is active on that day)."""
    placement.end_date = end_date
    return save_validated(placement, acting_user=acting_user)


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
    return save_validated(project, acting_user=acting_user)


@transaction.atomic
def aux_project_update(
    *, acting_user: AbstractBaseUser | None, project: AuxProject, **changes: Any
) -> AuxProject:
    """Change any of name, start_date, end_date, participants (a project stays at its home)."""
    apply_changes(project, changes, PROJECT_FIELDS)
    _check_home_operating_if_moved(project)
    return save_validated(project, acting_user=acting_user)


@transaction.atomic
def aux_project_end(
    *, acting_user: AbstractBaseUser | None, project: AuxProject, end_date: dt.date
) -> AuxProject:
    project.end_date = end_date
    return save_validated(project, acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
CARE_HOME_SERVICES = RecordServices(create=care_home_create, update=care_home_update, record_arg="home")
PLACEMENT_SERVICES = RecordServices(create=placement_create, update=placement_update, record_arg="placement")
AUX_PROJECT_SERVICES = RecordServices(
    create=aux_project_create, update=aux_project_update, record_arg="project"
)
