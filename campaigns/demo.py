"""Demo: the campaign of the current year in progress, some communities done and some behind.

Called by `manage.py generate_demo_data` once the demo accounts exist (demo_staff opens it). Surveys of
the year are written in bulk from each person's survey of the year before, with the new questions."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from campaigns import services
from campaigns.models import Campaign, CampaignEntry, EntryState, UnreachableReason
from core.models import Community
from core.periods import today
from registry.models import SURVEY_HOUSEHOLD_FIELDS, Survey

REASONS = [r.value for r in UnreachableReason if r != UnreachableReason.OTHER]


def generate_demo(*, rng: random.Random, opened_by_username: str = "demo_staff") -> dict[str, int]:
    now = today()
    year = now.year
    if Campaign.objects.filter(year=year).exists():
        return {}
    opened_on = min(dt.date(year, 3, 1), now)
    campaign = services.campaign_open(
        acting_user=get_user_model().objects.get(username=opened_by_username),
        year=year,
        opened_on=opened_on,
        due_on=max(dt.date(year, 12, 31), opened_on),  # the year-end: the demo stays "in progress"
    )
    # Each community gets a pace: about a third are done, the rest behind to various degrees.
    pace = {
        c: rng.choice((0.98, 1.0, 0.95, 0.7, 0.5, 0.3, 0.15))
        for c in Community.objects.values_list("pk", flat=True)
    }
    entries = list(
        CampaignEntry.objects.filter(campaign=campaign, left_on__isnull=True).values_list(
            "pk", "person_id", "person__community_id"
        )
    )
    last = {
        s.person_id: s
        for s in Survey.objects.filter(year=year - 1, person_id__in=[e[1] for e in entries]).iterator(
            chunk_size=5000
        )
    }
    surveys, unreachable = [], {}
    for pk, person_id, community_id in entries:
        draw = rng.random()
        share = pace.get(community_id, 0.6)
        if draw < share * 0.96:
            surveys.append(_survey_of_year(rng, person_id, year, last.get(person_id)))
        elif draw < share:
            unreachable[pk] = rng.choice(REASONS)
    Survey.objects.bulk_create(surveys, batch_size=5000)
    for reason in REASONS:
        CampaignEntry.objects.filter(pk__in=[pk for pk, r in unreachable.items() if r == reason]).update(
            state=EntryState.UNREACHABLE, reason=reason, visited_on=opened_on
        )
    services.campaign_sync(campaign=campaign)
    return {"年度调查": year, "已调查": len(surveys), "无法调查": len(unreachable)}


def _survey_of_year(rng: random.Random, person_id: int, year: int, last: Survey | None) -> Survey:
    survey = Survey(person_id=person_id, year=year)
    if last is not None:
        for name in SURVEY_HOUSEHOLD_FIELDS:
            setattr(survey, name, getattr(last, name))
    survey.employment_status = rng.choices(
        ("employed", "unemployed", "under_age", "retired", "unable"), (25, 15, 5, 40, 15)
    )[0]
    if survey.employment_status == "unemployed":
        survey.wants_work = rng.choice(("yes", "yes", "no"))
        survey.wants_training = rng.choice(("yes", "no"))
    survey.household_key = f"H{person_id:07d}"
    survey.multi_disabled_household = rng.random() < 0.04
    survey.elderly_carer_household = rng.random() < 0.05
    return survey
