"""Writes of organisations, their yearly reviews, volunteer teams and activities.

Every function is keyword-only with the acting user first, validates through
`core.record_services.save_validated` (scope, full_clean, history with the acting user) and raises
`ValidationError` in Chinese. Nothing is deleted: an organisation is 注销, a team 解散, with a date.

The rules beyond the models' clean() live here, and the Excel import calls the same functions
(organisations/resources.py): `check_owner_rules` (an organisation or a team without a street is
refused, and a dissolution date does not leave activities after it), `check_activity_date` (an
activity falls between its owner's registration and dissolution) and `sync_activity_streets` (an
activity keeps its owner's street).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Street
from core.record_services import RecordServices, apply_changes, save_changes, save_validated
from organisations.models import (
    ACTIVITY_OWNER_MESSAGE,
    Activity,
    Organisation,
    OrganisationReview,
    VolunteerTeam,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The fields of an organisation and a team in the order the form, the admin and the Excel template
# show them; the update services change any of them.
ORGANISATION_FIELDS = (
    "name",
    "kind",
    "street",
    "registered_on",
    "contact_person",
    "contact_phone",
    "is_demonstration",
    "dissolved_on",
)
TEAM_FIELDS = ("name", "street", "members", "leader", "leader_phone", "founded_on", "dissolved_on")
REVIEW_FIELDS = frozenset({"result", "note"})
ACTIVITY_FIELDS = frozenset({"date", "title", "participants", "persons_served"})


# Rules -----------------------------------------------------------------------------------------


def street_required_message(owner_model: type[Organisation | VolunteerTeam]) -> str:
    """The message of an organisation or a team without a street, declared on the model's field; the
    services, the pages' forms and the admin's show it."""
    return owner_model._meta.get_field("street").error_messages["blank"]


def check_owner_rules(owner: Organisation | VolunteerTeam) -> None:
    """An organisation or a team belongs to a street (the plan counts them per street): every door
    refuses one without it, each with its own message; a saved one's dissolution date may not leave
    recorded activities after it."""
    if owner.street_id is None:
        raise ValidationError({"street": street_required_message(type(owner))})
    check_no_activity_after(owner)


def _owner_words(owner: Organisation | VolunteerTeam) -> tuple[str, str, str]:
    if isinstance(owner, Organisation):
        return "该组织", "登记日期", "注销"
    return "该队伍", "成立日期", "解散"


def check_activity_date(owner: Organisation | VolunteerTeam | None, date: dt.date | None) -> None:
    """An activity is dated between its owner's registration (founding) and its dissolution, both
    days included."""
    if owner is None or date is None:
        return
    who, start_label, ended = _owner_words(owner)
    start = owner.registered_on if isinstance(owner, Organisation) else owner.founded_on
    if start is not None and date < start:
        raise ValidationError({"date": f"活动日期早于{who}的{start_label}（{start:%Y-%m-%d}）"})
    if owner.dissolved_on is not None and date > owner.dissolved_on:
        raise ValidationError({"date": f"{who}已于{owner.dissolved_on:%Y-%m-%d}{ended}，不能登记此后的活动"})


def check_no_activity_after(owner: Organisation | VolunteerTeam) -> None:
    """A dissolution date may not leave recorded activities after it."""
    if owner.pk is None or owner.dissolved_on is None:
        return
    last = (
        owner.activities.filter(date__gt=owner.dissolved_on)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if last is not None:
        who, _, ended = _owner_words(owner)
        raise ValidationError(
            {"dissolved_on": f"{who}在{last:%Y-%m-%d}还有活动记录，{ended}日期不能早于该日"}
        )


def sync_activity_streets(owner: Organisation | VolunteerTeam) -> int:
    """An owner that moves to another street takes its activities along (their scope and figures)."""
    return owner.activities.exclude(street_id=owner.street_id).update(street_id=owner.street_id)


def _save_owner(owner: Organisation | VolunteerTeam, *, acting_user: AbstractBaseUser | None):
    """An organisation's or a team's update: its rules, the save, and its activities follow its street."""
    check_owner_rules(owner)
    save_validated(owner, acting_user=acting_user)
    sync_activity_streets(owner)
    return owner


# Organisations ---------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    acting_user: AbstractBaseUser | None,
    name: str,
    kind: str,
    street: Street | None,
    registered_on: dt.date,
    contact_person: str = "",
    contact_phone: str = "",
    is_demonstration: bool = False,
    dissolved_on: dt.date | None = None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        kind=kind,
        street=street,
        registered_on=registered_on,
        contact_person=contact_person,
        contact_phone=contact_phone,
        is_demonstration=is_demonstration,
        dissolved_on=dissolved_on,
    )
    check_owner_rules(organisation)
    return save_validated(organisation, acting_user=acting_user)


@transaction.atomic
def organisation_update(
    *, acting_user: AbstractBaseUser | None, organisation: Organisation, **changes: Any
) -> Organisation:
    """Change any field; a new street takes the activities along, a dissolution date may not leave
    activities after it."""
    apply_changes(organisation, changes, ORGANISATION_FIELDS)
    return _save_owner(organisation, acting_user=acting_user)


# Reviews ---------------------------------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    acting_user: AbstractBaseUser | None,
    organisation: Organisation,
    year: int,
    result: str,
    note: str = "",
) -> OrganisationReview:
    review = OrganisationReview(organisation=organisation, year=year, result=result, note=note)
    return save_validated(review, acting_user=acting_user)


@transaction.atomic
def review_update(
    *, acting_user: AbstractBaseUser | None, review: OrganisationReview, **changes: Any
) -> OrganisationReview:
    """Correct a review's result or note (its organisation and year stay)."""
    return save_changes(review, changes, REVIEW_FIELDS, acting_user=acting_user)


# Volunteer teams -------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    acting_user: AbstractBaseUser | None,
    name: str,
    street: Street | None,
    founded_on: dt.date,
    members: int = 0,
    leader: str = "",
    leader_phone: str = "",
    dissolved_on: dt.date | None = None,
) -> VolunteerTeam:
    team = VolunteerTeam(
        name=name,
        street=street,
        founded_on=founded_on,
        members=members,
        leader=leader,
        leader_phone=leader_phone,
        dissolved_on=dissolved_on,
    )
    check_owner_rules(team)
    return save_validated(team, acting_user=acting_user)


@transaction.atomic
def team_update(
    *, acting_user: AbstractBaseUser | None, team: VolunteerTeam, **changes: Any
) -> VolunteerTeam:
    apply_changes(team, changes, TEAM_FIELDS)
    return _save_owner(team, acting_user=acting_user)


# Activities ------------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    acting_user: AbstractBaseUser | None,
    date: dt.date,
    title: str,
    organisation: Organisation | None = None,
    team: VolunteerTeam | None = None,
    participants: int = 0,
    persons_served: int = 0,
) -> Activity:
    """An activity of an organisation or of a team (exactly one), in the owner's street."""
    if (organisation is None) == (team is None):
        raise ValidationError(ACTIVITY_OWNER_MESSAGE)
    owner = organisation or team
    activity = Activity(
        organisation=organisation,
        team=team,
        street_id=owner.street_id,
        date=date,
        title=title,
        participants=participants,
        persons_served=persons_served,
    )
    check_activity_date(owner, date)
    return save_validated(activity, acting_user=acting_user)


@transaction.atomic
def activity_update(*, acting_user: AbstractBaseUser | None, activity: Activity, **changes: Any) -> Activity:
    """Correct date, title or counts (an activity stays with its owner)."""
    apply_changes(activity, changes, ACTIVITY_FIELDS)
    check_activity_date(activity.owner, activity.date)
    return save_validated(activity, acting_user=acting_user)


# The create and update services of each record type, as the API and the admin call them.
ORGANISATION_SERVICES = RecordServices(
    create=organisation_create, update=organisation_update, record_arg="organisation"
)
TEAM_SERVICES = RecordServices(create=team_create, update=team_update, record_arg="team")
REVIEW_SERVICES = RecordServices(create=review_create, update=review_update, record_arg="review")
ACTIVITY_SERVICES = RecordServices(create=activity_create, update=activity_update, record_arg="activity")
