"""Reads of the annual campaign: progress counts (one GROUP BY), the lists behind them, gap lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import IsNull

from campaigns.models import Campaign, CampaignEntry, EntryState
from core.models import Community, Street
from core.periods import reference_date, today
from core.roles import sees_person_data
from registry.models import EmploymentStatus as SurveyEmploymentStatus
from registry.models import LowIncomeType, Person, Survey, YesNo

COUNT_NAMES = ("total", "done", "unreachable", "remaining", "overdue", "left")


@dataclass
class ProgressRow:
    label: str
    street_id: int | None = None
    community_id: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_NAMES, 0))

    def add(self, counts: dict[str, int]) -> None:
        for name in COUNT_NAMES:
            self.counts[name] += counts[name]

    @property
    def done_share(self) -> float:
        """Done or unreachable, of the list (persons who left excluded); 1.0 for an empty list."""
        total = self.counts["total"]
        return (self.counts["done"] + self.counts["unreachable"]) / total if total else 1.0

    @property
    def percent(self) -> str:
        return f"{self.done_share * 100:.1f}%"


@dataclass
class Progress:
    district: ProgressRow
    streets: list[ProgressRow]
    communities: list[ProgressRow]

    def as_json(self) -> dict:
        def row(r: ProgressRow) -> dict:
            return {"label": r.label, "street_id": r.street_id, "community_id": r.community_id, **r.counts}

        return {
            **self.district.counts,
            "streets": [row(r) for r in self.streets],
            "communities": [row(r) for r in self.communities],
        }


def entries(*, user) -> QuerySet[CampaignEntry]:
    """The entries the user may open (a visit form)."""
    return CampaignEntry.objects.for_user(user).select_related("campaign", "person", "person__community")


def entries_for(*, user, campaign: Campaign) -> QuerySet[CampaignEntry]:
    """The entries behind the numbers: a community worker his community's, a clerk his street's."""
    return CampaignEntry.objects.for_user(user).filter(campaign=campaign)


def _counted_entries(*, user, campaign: Campaign) -> QuerySet[CampaignEntry]:
    # Officials see numbers for the whole district, never the names behind them.
    if sees_person_data(user):
        return entries_for(user=user, campaign=campaign)
    return CampaignEntry.objects.filter(campaign=campaign)


def campaign_progress(*, campaign: Campaign, user, on_date: dt.date | None = None) -> Progress:
    """Done, unreachable, remaining and overdue per community, street and district: one GROUP BY query.

    `total` is the list without the persons who left; `left` counts those (still listed, marked)."""
    on_date = on_date or today()
    is_overdue = on_date > campaign.due_on
    # One GROUP BY (street, community, state, left) on the entries' own columns: a few hundred rows
    # folded below, whatever the size of the district.
    grouped = (
        _counted_entries(user=user, campaign=campaign)
        .order_by()
        .values("street_id", "community_id", "state")
        .annotate(has_left=IsNull(F("left_on"), False), n=Count("*"))
    )
    folded: dict[tuple[int, int | None], dict[str, int]] = {}
    state_count = {
        EntryState.DONE: "done",
        EntryState.UNREACHABLE: "unreachable",
        EntryState.PENDING: "remaining",
    }
    for g in grouped:
        counts = folded.setdefault((g["street_id"], g["community_id"]), dict.fromkeys(COUNT_NAMES, 0))
        if g["has_left"]:
            counts["left"] += g["n"]
            continue
        counts["total"] += g["n"]
        counts[state_count[g["state"]]] += g["n"]
    rows = [
        {"person__street_id": street_id, "person__community_id": community_id, **counts}
        for (street_id, community_id), counts in folded.items()
    ]
    streets = {s.pk: s for s in Street.objects.all()}
    communities = {c.pk: c for c in Community.objects.all()}
    district = ProgressRow("全区")
    by_street: dict[int, ProgressRow] = {}
    by_community: list[ProgressRow] = []
    for r in rows:
        counts = {name: r[name] for name in COUNT_NAMES if name != "overdue"}
        counts["overdue"] = r["remaining"] if is_overdue else 0
        street_id, community_id = r["person__street_id"], r["person__community_id"]
        street = streets[street_id]
        community = communities.get(community_id)
        row = ProgressRow(
            f"{street.name} {community.name if community else '（未填社区）'}", street_id, community_id or 0
        )
        row.add(counts)
        by_community.append(row)
        by_street.setdefault(street_id, ProgressRow(street.name, street_id)).add(counts)
        district.add(counts)
    street_rows = sorted(by_street.values(), key=lambda r: (streets[r.street_id].order, r.street_id))
    by_community.sort(key=lambda r: (streets[r.street_id].order, r.label))
    return Progress(district, street_rows, by_community)


def entry_list(
    *,
    user,
    campaign: Campaign,
    state: str = "",
    street_id: int | None = None,
    community_id: int | None = None,
    overdue: bool = False,
    left: bool = False,
) -> QuerySet[CampaignEntry]:
    """The list behind a number of the progress page (community_id 0: persons without a community)."""
    entries = entries_for(user=user, campaign=campaign).select_related("person", "person__community")
    entries = entries.filter(left_on__isnull=not left)
    if overdue:
        entries = entries.overdue(campaign, today())
    if state in EntryState.values:
        entries = entries.filter(state=state)
    if street_id:
        entries = entries.filter(person__street_id=street_id)
    if community_id is not None:
        if community_id == 0:
            entries = entries.filter(person__community__isnull=True)
        else:
            entries = entries.filter(person__community_id=community_id)
    return entries.order_by("person__name", "pk")


# Gap lists from the new questions -----------------------------------------------------------------

GAP_LISTS = {
    "work": "有就业意愿的未就业人员，本年度未参加培训也未安置就业",
    "children": "15–17岁困难或特殊家庭残疾少年，本年度未获残疾儿童康复救助",
}


def _years_before(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def gap_persons(*, user, kind: str, year: int) -> QuerySet[Person]:
    """Persons of the register at R(Y) on a new gap list (scoped like every person list)."""
    from employment.models import Employment, Training
    from rehab.models import RehabKind, RehabService

    on_date = reference_date(year)
    persons = Person.objects.for_user(user).in_registry_on(on_date)
    surveys = Survey.objects.filter(person=OuterRef("pk"), year=year)
    if kind == "work":
        wants_work = surveys.filter(employment_status=SurveyEmploymentStatus.UNEMPLOYED, wants_work=YesNo.YES)
        trained = Training.objects.filter(person=OuterRef("pk"), start_date__year=year)
        placed = Employment.objects.filter(person=OuterRef("pk"), start_date__year=year)
        return persons.filter(Exists(wants_work)).exclude(Exists(trained)).exclude(Exists(placed))
    if kind == "children":
        # Aged 15–17 on R(Y): born after R(Y) minus 18 years, on or before R(Y) minus 15 years.
        persons = persons.filter(
            birth_date__gt=_years_before(on_date, 18), birth_date__lte=_years_before(on_date, 15)
        )
        flagged = (
            Q(low_income_type__in=[LowIncomeType.DIBAO, LowIncomeType.DIBAO_EDGE])
            | Q(multi_disabled_household=True)
            | Q(elderly_carer_household=True)
        )
        own = surveys.filter(flagged)
        # A household flagged on another member's survey of the year (same 户编号) counts too.
        household = Survey.objects.filter(flagged, year=year, household_key=OuterRef("household_key_of_year"))
        child_rehab = RehabService.objects.filter(
            person=OuterRef("pk"), kind=RehabKind.CHILD_REHAB, service_date__year=year
        )
        key_of_year = Survey.objects.filter(person=OuterRef("pk"), year=year).exclude(household_key="")
        return (
            persons.annotate(household_key_of_year=key_of_year.values("household_key")[:1])
            .filter(Exists(own) | Exists(household))
            .exclude(Exists(child_rehab))
        )
    raise ValueError(kind)
