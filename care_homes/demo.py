"""Demo care homes, auxiliary employment projects and placements (托养服务) for 2020–2025.

Called by `manage.py generate_demo_data` after persons and surveys exist. Homes come first: every
street has its 残疾人之家 (three streets a second one: one closed in mid-2022, one opened in
September 2023), plus the district's 托养中心 and 居家安养 service. Most 残疾人之家 run an auxiliary
employment project every year; 挹江门街道's home has none in 2021 and the home opened in 2023 starts
its first project in 2024, so K12 is not 100% every year.

Placements cover ~90% of the person-years with 托养需求 in the survey (consecutive covered years
form one placement), plus a few persons without a stated need. Persons and surveys are read in
chunks by primary key; rows are written in bulk (COPY on PostgreSQL) without history rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from care_homes.models import AuxProject, CareHome, HomeLevel, Placement, PlacementMode
from core.models import Community, Street
from registry.demo import write_rows
from registry.demo_rows import day_between, in_registry_on, person_rows
from registry.models import Survey

YEARS = range(2020, 2026)
LAST_DAY = dt.date(2025, 12, 31)
COVERAGE = 0.90
UNSTATED_NEED_SHARE = 0.006
LEFT_OPEN_AFTER_LEAVING = 0.03  # a few placements not ended after death or move-out (data quality)

PERSON_COLUMNS = ("id", "street_id", "grade", "issued_on", "status", "status_changed_on")
PLACEMENT_COLUMNS = ["person_id", "home_id", "mode", "start_date", "end_date", "created_at", "updated_at"]
PROJECT_COLUMNS = ["home_id", "name", "start_date", "end_date", "participants", "created_at", "updated_at"]
PROJECT_NAMES = [
    "手工串珠来料加工",
    "纸盒折叠包装",
    "爱心烘焙坊",
    "非遗绒花制作",
    "布艺香囊缝制",
    "电子元件组装",
    "文创产品包装",
    "绿植养护",
]

# Street positions (in the district's order) with a second 残疾人之家: (opened, closed).
SECOND_HOMES = {
    1: (dt.date(2017, 5, 1), dt.date(2022, 6, 30)),
    5: (dt.date(2019, 4, 1), None),
    9: (dt.date(2023, 9, 1), None),
}
GAP_STREET = 4  # its home's first project ends in October 2020, the next starts in April 2022


@dataclass(frozen=True)
class _Home:
    pk: int
    street_id: int
    level: str
    opened_on: dt.date
    closed_on: dt.date | None

    def serves(self, start: dt.date, end: dt.date | None) -> bool:
        """Operating from `start` through `end` (an open placement needs a home still open)."""
        if start < self.opened_on:
            return False
        if self.closed_on is None:
            return True
        return end is not None and end < self.closed_on


def _disabled_home(
    street, place: str, rating: str, opened_on: dt.date, closed_on: dt.date | None = None
) -> CareHome:
    """A street's 残疾人之家 (`place`: where in the street, for its second one)."""
    return CareHome(
        name=f"{street.name}{place}残疾人之家",
        level=HomeLevel.STREET,
        street=street,
        is_disabled_home=True,
        rating=rating,
        opened_on=opened_on,
        closed_on=closed_on,
    )


class CareHomesDemo:
    def __init__(self, *, rng: random.Random, batch_size: int):
        self.rng = rng
        self.batch_size = batch_size
        self.now = timezone.now()
        self.counts = {"homes": 0, "aux_projects": 0, "placements": 0}

    # -- homes and projects ------------------------------------------------------------------------
    def create_homes(self) -> list[CareHome]:
        rng = self.rng
        streets = list(Street.objects.order_by("order", "id"))
        communities: dict[int, list[str]] = defaultdict(list)
        for street_id, name in Community.objects.order_by("id").values_list("street_id", "name"):
            communities[street_id].append(name)
        wanted: list[CareHome] = []
        for index, street in enumerate(streets):
            opened_on = dt.date(2014 + index % 5, 1 + (index * 5) % 12, 1)
            wanted.append(_disabled_home(street, "", rng.choice(["3A", "4A", "4A", "5A"]), opened_on))
            if index in SECOND_HOMES:
                opened, closed = SECOND_HOMES[index]
                names = communities.get(street.pk, [])
                place = names[1].removesuffix("社区") if len(names) > 1 else "第二"
                wanted.append(_disabled_home(street, place, rng.choice(["2A", "3A"]), opened, closed))
        if streets:
            wanted.append(
                CareHome(
                    name="鼓楼区残疾人托养中心",
                    level=HomeLevel.DISTRICT,
                    street=streets[min(5, len(streets) - 1)],
                    rating="5A",
                    opened_on=dt.date(2012, 10, 1),
                )
            )
            wanted.append(
                CareHome(
                    name="鼓楼区残疾人居家安养服务中心",
                    level=HomeLevel.HOME_BASED,
                    street=streets[min(2, len(streets) - 1)],
                    opened_on=dt.date(2016, 1, 1),
                )
            )
        existing = set(
            CareHome.objects.filter(name__in=[h.name for h in wanted]).values_list("name", flat=True)
        )
        created = CareHome.objects.bulk_create([h for h in wanted if h.name not in existing])
        self.counts["homes"] = len(created)
        self._projects(created, gap_street=streets[GAP_STREET] if len(streets) > GAP_STREET else None)
        return created

    def _projects(self, homes: list[CareHome], gap_street: Street | None) -> None:
        rng = self.rng
        rows = []
        for home in homes:
            if not home.is_disabled_home:
                continue
            names = rng.sample(PROJECT_NAMES, 4)
            if gap_street is not None and home.street_id == gap_street.pk and home.closed_on is None:
                first_start = max(home.opened_on + dt.timedelta(days=60), dt.date(2018, 3, 1))
                rows.append((home.pk, names[0], first_start, dt.date(2020, 10, 31), rng.randint(6, 30)))
                rows.append((home.pk, names[1], dt.date(2022, 4, 1), None, rng.randint(6, 30)))
                continue
            # The first project starts a few months after opening (not before 2019 for old homes); a
            # home opened from 2023 on starts its first project in the following spring.
            start = max(
                home.opened_on + dt.timedelta(days=rng.randint(60, 180)), dt.date(2019, rng.randint(1, 6), 1)
            )
            if home.opened_on.year >= 2023:
                start = dt.date(home.opened_on.year + 1, 3, 15)
            if home.closed_on is not None:
                rows.append(
                    (home.pk, names[0], start, home.closed_on - dt.timedelta(days=1), rng.randint(6, 30))
                )
                continue
            if start <= dt.date(2023, 1, 1) and rng.random() < 0.4:
                # One project replaced by another without a gap.
                switch = day_between(
                    rng, max(start + dt.timedelta(days=180), dt.date(2021, 1, 1)), dt.date(2024, 6, 30)
                )
                rows.append((home.pk, names[0], start, switch - dt.timedelta(days=1), rng.randint(6, 30)))
                rows.append((home.pk, names[1], switch, None, rng.randint(6, 30)))
            else:
                rows.append((home.pk, names[0], start, None, rng.randint(6, 30)))
            if rng.random() < 0.3:
                rows.append(
                    (
                        home.pk,
                        names[2],
                        day_between(rng, max(start, dt.date(2021, 1, 1)), dt.date(2025, 9, 30)),
                        None,
                        rng.randint(6, 30),
                    )
                )
        write_rows(AuxProject, PROJECT_COLUMNS, [(*row, self.now, self.now) for row in rows])
        self.counts["aux_projects"] = len(rows)

    # -- placements ------------------------------------------------------------------------------
    def create_placements(self) -> None:
        homes = [
            _Home(h.pk, h.street_id, h.level, h.opened_on, h.closed_on)
            for h in CareHome.objects.order_by("id")
        ]
        self.by_street: dict[int, list[_Home]] = defaultdict(list)
        self.district_wide: list[_Home] = []
        for home in homes:
            if home.level == HomeLevel.STREET:
                self.by_street[home.street_id].append(home)
            else:
                self.district_wide.append(home)
        rows: list[tuple] = []
        for chunk in person_rows(PERSON_COLUMNS, self.batch_size):
            needs: dict[int, list[int]] = defaultdict(list)
            for person_id, year in (
                Survey.objects.filter(
                    person_id__gte=chunk[0][0],
                    person_id__lte=chunk[-1][0],
                    year__in=list(YEARS),
                    needs_care=True,
                )
                .order_by("person_id", "year")
                .values_list("person_id", "year")
            ):
                needs[person_id].append(year)
            for person in chunk:
                rows.extend(self._person_placements(person, needs.get(person[0], [])))
            write_rows(Placement, PLACEMENT_COLUMNS, rows)
            self.counts["placements"] += len(rows)
            rows.clear()

    def _person_placements(self, person: tuple, need_years: list[int]) -> list[tuple]:
        rng = self.rng
        pk, street_id, grade, issued, status, changed = person
        covered = [year for year in need_years if rng.random() < COVERAGE]
        if not need_years and grade in ("1", "2") and rng.random() < UNSTATED_NEED_SHARE:
            year = rng.choice(list(YEARS))
            if in_registry_on(issued, status, changed, dt.date(year, 12, 31)):
                covered = [year]
        rows = []
        for first, last in _runs(covered):
            start = day_between(rng, max(dt.date(first, 1, 1), issued), dt.date(first, 12, 31))
            end = (
                None
                if last == 2025
                else day_between(rng, max(start, dt.date(last, 1, 1)), dt.date(last, 12, 31))
            )
            if changed is not None and status != "active":
                if start >= changed:
                    continue
                if (end is None or end > changed) and rng.random() >= LEFT_OPEN_AFTER_LEAVING:
                    end = changed
            home = self._choose_home(street_id, start, end)
            if home is None:
                continue
            mode = {
                HomeLevel.STREET: PlacementMode.DAY_CARE,
                HomeLevel.DISTRICT: PlacementMode.RESIDENTIAL,
                HomeLevel.HOME_BASED: PlacementMode.HOME_CARE,
            }[home.level]
            rows.append((pk, home.pk, mode, start, end, self.now, self.now))
        return rows

    def _choose_home(self, street_id: int, start: dt.date, end: dt.date | None) -> _Home | None:
        local = [h for h in self.by_street.get(street_id, []) if h.serves(start, end)]
        wide = [h for h in self.district_wide if h.serves(start, end)]
        candidates = local + wide
        if not candidates:
            return None
        weights = [55 / len(local)] * len(local) + [45 / len(wide)] * len(wide) if local and wide else None
        return self.rng.choices(candidates, weights)[0]


def _runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive years as (first, last) pairs: [2020, 2021, 2023] → [(2020, 2021), (2023, 2023)]."""
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    """Write demo homes (first), their projects, and placements; return how many of each."""
    demo = CareHomesDemo(rng=rng, batch_size=batch_size)
    demo.create_homes()
    demo.create_placements()
    return demo.counts
