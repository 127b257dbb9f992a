"""Writes of the annual campaign: open, keep the list in step with the register, visit, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from campaigns import selectors
from campaigns.models import CLOSED_MESSAGE, Campaign, CampaignEntry, EntryState
from core.periods import today
from core.roles import sees_all_streets
from core.scoping import ensure_may_change
from registry import services as registry_services
from registry.models import Person, PersonStatus, Survey

OUT_OF_YEAR_MESSAGE = "调查日期必须在{year}年内（本次为{year}年度调查）"
WRONG_YEAR_MESSAGE = "调查年度必须是{year}年（本次为{year}年度调查）"


def _ensure_staff(acting_user: AbstractBaseUser) -> None:
    if not sees_all_streets(acting_user):
        raise ValidationError("只有区残联工作人员和系统管理员可以开启或结束年度调查")


def _ensure_open(campaign: Campaign) -> None:
    if campaign.is_closed:
        raise ValidationError(CLOSED_MESSAGE.format(year=campaign.year))


# Statistics are refreshed when at least this many entries are added at once (opening a campaign adds them all).
ANALYZE_AFTER_JOINED = 10_000


def _insert_entries(*, campaign: Campaign, persons, joined_on: dt.date) -> int:
    """INSERT … SELECT: the list is fixed set-based, never person by person."""
    sql, params = persons.order_by().values("pk").query.sql_with_params()
    table, person_table = CampaignEntry._meta.db_table, Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (campaign_id, person_id, street_id, community_id, state, reason, reason_text,"
            f" joined_on, draft, updated_at)"
            f" SELECT %s, id, street_id, community_id, %s, '', '', %s, '{{}}', %s FROM {person_table}"
            f" WHERE id IN ({sql})"
            f" ON CONFLICT (campaign_id, person_id) DO NOTHING",
            [campaign.pk, EntryState.PENDING, joined_on, timezone.now(), *params],
        )
        inserted = cursor.rowcount
        if inserted >= ANALYZE_AFTER_JOINED and connection.vendor == "postgresql":
            # The new rows are not committed yet, so autovacuum has not counted them: without fresh
            # statistics the sync's joins are planned for an empty list and run as nested loops over
            # every pair (hours at 1,000,000 persons). ANALYZE counts our own uncommitted rows.
            cursor.execute(f"ANALYZE {table}")
        return inserted


@transaction.atomic
def campaign_open(
    *, acting_user: AbstractBaseUser, year: int, due_on: dt.date, opened_on: dt.date | None = None
) -> Campaign:
    """Open the campaign of `year`: everyone in the register on the opening date is put on the list."""
    _ensure_staff(acting_user)
    campaign = Campaign(year=year, opened_on=opened_on or today(), due_on=due_on, opened_by=acting_user)
    campaign.full_clean()
    campaign._history_user = acting_user
    campaign.save()
    _insert_entries(
        campaign=campaign,
        persons=Person.objects.in_registry_on(campaign.opened_on),
        joined_on=campaign.opened_on,
    )
    campaign_sync(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_sync(*, campaign: Campaign, on_date: dt.date | None = None) -> dict[str, int]:
    """Keep the list in step with the register (three set-based statements):
    persons who joined since are added, persons who left are marked (left_on), surveys of the year
    saved elsewhere (page, API, import) mark their entry 已调查. A closed campaign does not move."""
    if campaign.is_closed:
        return {"joined": 0, "left": 0, "surveyed": 0}
    on_date = on_date or today()
    in_register = Person.objects.in_registry_on(on_date)
    joined = _insert_entries(campaign=campaign, persons=in_register, joined_on=on_date)
    entry_table, person_table = CampaignEntry._meta.db_table, Person._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        # Moved to another street or community: counted there.
        cursor.execute(
            f"UPDATE {entry_table} AS e SET street_id = p.street_id, community_id = p.community_id"
            f" FROM {person_table} p WHERE e.campaign_id = %s AND p.id = e.person_id"
            f" AND (e.street_id IS DISTINCT FROM p.street_id OR e.community_id IS DISTINCT FROM p.community_id)",
            [campaign.pk],
        )
        # Left the register (注销/死亡/迁出 by on_date): marked with the day of the change.
        cursor.execute(
            f"UPDATE {entry_table} AS e SET left_on = COALESCE(p.status_changed_on, %s), updated_at = %s"
            f" FROM {person_table} p WHERE e.campaign_id = %s AND e.left_on IS NULL AND p.id = e.person_id"
            f" AND p.status <> %s AND p.status_changed_on <= %s",
            [on_date, now, campaign.pk, PersonStatus.ACTIVE, on_date],
        )
        left = cursor.rowcount
        # Back on the register (a status corrected to 正常): no longer marked.
        cursor.execute(
            f"UPDATE {entry_table} AS e SET left_on = NULL, updated_at = %s FROM {person_table} p"
            f" WHERE e.campaign_id = %s AND e.left_on IS NOT NULL AND p.id = e.person_id"
            f" AND (p.status = %s OR p.status_changed_on > %s)",
            [now, campaign.pk, PersonStatus.ACTIVE, on_date],
        )
        cursor.execute(
            f"UPDATE {entry_table} AS e SET state = %s, survey_id = s.id, updated_at = %s"
            f" FROM {Survey._meta.db_table} s"
            f" WHERE e.campaign_id = %s AND e.state = %s AND s.person_id = e.person_id AND s.year = %s",
            [EntryState.DONE, now, campaign.pk, EntryState.PENDING, campaign.year],
        )
        surveyed = cursor.rowcount
    Campaign.objects.filter(pk=campaign.pk).update(synced_at=timezone.now())
    return {"joined": joined, "left": left, "surveyed": surveyed}


def _check_visit_date(campaign: Campaign, visited_on: dt.date | None) -> dt.date:
    visited_on = visited_on or today()
    if not campaign.contains(visited_on):
        raise ValidationError({"visited_on": OUT_OF_YEAR_MESSAGE.format(year=campaign.year)})
    if visited_on > today():
        raise ValidationError({"visited_on": "调查日期不能晚于今天"})
    return visited_on


@transaction.atomic
def campaign_visit_save(
    *,
    acting_user: AbstractBaseUser,
    entry: CampaignEntry,
    year: int,
    visited_on: dt.date | None = None,
    **answers: Any,
) -> Survey:
    """Save the home visit: the person's survey of the campaign year (created or corrected), and the
    entry becomes 已调查. A year or a date outside the campaign year is refused; nothing is written."""
    campaign = entry.campaign
    _ensure_open(campaign)
    ensure_may_change(acting_user, entry.person)
    if year != campaign.year:
        raise ValidationError({"year": WRONG_YEAR_MESSAGE.format(year=campaign.year)})
    visited_on = _check_visit_date(campaign, visited_on)
    existing = Survey.objects.filter(person=entry.person, year=campaign.year).first()
    if existing is None:
        survey = registry_services.survey_create(
            acting_user=acting_user, person=entry.person, year=campaign.year, **answers
        )
    else:
        survey = registry_services.survey_update(acting_user=acting_user, survey=existing, **answers)
    entry.state = EntryState.DONE
    entry.street_id, entry.community_id = entry.person.street_id, entry.person.community_id
    entry.survey = survey
    entry.visited_on = visited_on
    entry.reason, entry.reason_text = "", ""
    entry.draft, entry.draft_saved_at = {}, None
    _save_entry(acting_user=acting_user, entry=entry)
    return survey


@transaction.atomic
def campaign_entry_mark_unreachable(
    *,
    acting_user: AbstractBaseUser,
    entry: CampaignEntry,
    reason: str,
    reason_text: str = "",
    visited_on: dt.date | None = None,
) -> CampaignEntry:
    """无法调查 with its reason (拒访, 联系不上, 长期外出, 住院, or 其他 with a text)."""
    _ensure_open(entry.campaign)
    ensure_may_change(acting_user, entry.person)
    if entry.state == EntryState.DONE:
        raise ValidationError("该人员已完成调查")
    entry.visited_on = _check_visit_date(entry.campaign, visited_on)
    entry.state = EntryState.UNREACHABLE
    entry.reason = reason or ""
    entry.reason_text = reason_text or ""
    return _save_entry(acting_user=acting_user, entry=entry)


@transaction.atomic
def campaign_entry_save_draft(
    *, acting_user: AbstractBaseUser, entry: CampaignEntry, data: dict[str, str]
) -> CampaignEntry:
    """Keep the unsaved answers of a visit on the server (no validation: a draft may be half done)."""
    _ensure_open(entry.campaign)
    ensure_may_change(acting_user, entry.person)
    entry.draft = {str(k)[:40]: str(v)[:200] for k, v in list(data.items())[:60]}
    entry.draft_saved_at = timezone.now()
    CampaignEntry.objects.filter(pk=entry.pk).update(draft=entry.draft, draft_saved_at=entry.draft_saved_at)
    return entry


def _save_entry(*, acting_user: AbstractBaseUser, entry: CampaignEntry) -> CampaignEntry:
    entry.full_clean()
    entry._history_user = acting_user
    entry.save()
    return entry


@transaction.atomic
def campaign_close(*, acting_user: AbstractBaseUser, campaign: Campaign) -> Campaign:
    """Close the campaign: the list is brought up to date one last time and the coverage frozen."""
    _ensure_staff(acting_user)
    _ensure_open(campaign)
    campaign_sync(campaign=campaign)
    progress = selectors.campaign_progress(campaign=campaign, user=acting_user)
    campaign.frozen_coverage = progress.as_json()
    campaign.closed_on = today()
    campaign._history_user = acting_user
    campaign.save()
    return campaign
