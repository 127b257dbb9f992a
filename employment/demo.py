"""Demo records of the employment domain for 2020–2025, read from the generated registry.

Called by `manage.py generate_demo_data` after persons and surveys exist. Persons are read in
chunks by primary key (values_list, bounded memory) and records are written in bulk (COPY on
PostgreSQL) without history rows, like the rest of the generated demo data. No per-person query.

Rates are chosen so that the indicators come out high but not perfect:
- training: ~160 distinct trainees a year for a 12,000-person registry (K02's target is 150 a year),
  scaled to the registry size, among persons aged 16–59 in the registry on the training day;
- employment: ~30% of working-age persons have an employment record (some ended, some changed job);
- graduates: ~0.3% of the persons aged 21–25 graduate each year, but at least 10 a year (or all of
  them in a tiny registry) so that K11 has a meaningful rate; 75–85% of each year's graduates have
  an employment record active on 31 December of that year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from employment.models import Employment, EmploymentForm, Graduate, Training, TrainingKind
from registry.demo import TODAY_REFERENCE, write_rows
from registry.demo_rows import day_between, in_registry_on, person_rows
from registry.models import Person, registry_on_q

YEARS = range(2020, 2027)  # through the current year (dates up to TODAY_REFERENCE)
TRAINEES_PER_YEAR_PER_PERSON = 165 / 12_000  # per person of the whole registry
EMPLOYED_SHARE = 0.30
GRADUATE_SHARE = 0.003
MIN_GRADUATES_PER_YEAR = 10

PERSON_COLUMNS = ("id", "birth_date", "issued_on", "status", "status_changed_on")
TRAINING_COLUMNS = [
    "person_id",
    "name",
    "kind",
    "start_date",
    "end_date",
    "completed",
    "created_at",
    "updated_at",
]
EMPLOYMENT_COLUMNS = ["person_id", "form", "employer", "start_date", "end_date", "created_at", "updated_at"]
GRADUATE_COLUMNS = ["person_id", "graduation_year", "school", "degree", "created_at", "updated_at"]

PROGRAMS = [
    ("电子商务运营培训班", TrainingKind.EMPLOYMENT_SKILLS),
    ("中式面点制作培训班", TrainingKind.EMPLOYMENT_SKILLS),
    ("盲人保健按摩培训班", TrainingKind.EMPLOYMENT_SKILLS),
    ("计算机操作与办公软件培训", TrainingKind.JOB_SKILLS),
    ("家政服务员培训班", TrainingKind.EMPLOYMENT_SKILLS),
    ("网络直播技能培训", TrainingKind.JOB_SKILLS),
    ("手工编织与串珠技艺培训", TrainingKind.EMPLOYMENT_SKILLS),
    ("残疾人创业意识培训（SYB）", TrainingKind.ENTREPRENEURSHIP),
    ("职业素养与求职技巧培训", TrainingKind.PROFESSIONAL_QUALITY),
]
FORMS = [
    (EmploymentForm.QUOTA, 25),
    (EmploymentForm.FLEXIBLE, 25),
    (EmploymentForm.CONCENTRATED, 12),
    (EmploymentForm.SELF_EMPLOYED, 10),
    (EmploymentForm.PUBLIC_WELFARE, 10),
    (EmploymentForm.AUXILIARY, 10),
    (EmploymentForm.ENTREPRENEUR, 8),
]
EMPLOYERS = {
    EmploymentForm.QUOTA: [
        "南京地铁运营有限公司",
        "苏宁易购集团股份有限公司",
        "江苏省邮政分公司",
        "南京银行股份有限公司",
    ],
    EmploymentForm.CONCENTRATED: ["南京鼓楼福利印刷厂", "南京金陵福利包装有限公司", "鼓楼区盲人按摩中心"],
    EmploymentForm.PUBLIC_WELFARE: ["鼓楼区社区服务中心", "宁海路街道社区公益岗", "鼓楼区残联助残服务站"],
    EmploymentForm.AUXILIARY: ["鼓楼区残疾人之家辅助性就业工场"],
}
SCHOOLS = [
    "南京特殊教育师范学院",
    "南京师范大学",
    "南京工业职业技术大学",
    "金陵科技学院",
    "南京大学",
    "河海大学",
    "南京理工大学",
    "南京中医药大学",
    "长春大学特殊教育学院",
    "北京联合大学特殊教育学院",
]
DEGREES = [("college", 40), ("bachelor", 50), ("master", 9), ("doctor", 1)]


@dataclass
class _Buffers:
    trainings: list[tuple] = field(default_factory=list)
    employments: list[tuple] = field(default_factory=list)
    graduates: list[tuple] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"trainings": 0, "employments": 0, "graduates": 0})


def _age_on(birth: dt.date, date: dt.date) -> int:
    return date.year - birth.year - ((date.month, date.day) < (birth.month, birth.day))


def _years_ago(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


class EmploymentDemo:
    def __init__(self, *, rng: random.Random, batch_size: int):
        self.rng = rng
        self.batch_size = batch_size
        self.now = timezone.now()
        trainees_per_year = TRAINEES_PER_YEAR_PER_PERSON * Person.objects.count()
        self.training_chance = {
            year: self._chance(trainees_per_year, self._working_age_pool(year)) for year in YEARS
        }
        self.graduate_chance = {year: self._graduate_chance(year) for year in YEARS}
        # Graduates are picked and employed by running quotas (evenly spread over the persons, who
        # come in random order), so that small registries still get steady yearly figures.
        self.graduates_due: dict[int, float] = defaultdict(float)
        self.employed_target = {year: rng.uniform(0.75, 0.85) for year in YEARS}
        self.graduates_seen: dict[int, int] = defaultdict(int)
        self.graduates_employed: dict[int, int] = defaultdict(int)

    @staticmethod
    def _chance(wanted: float, pool: int) -> float:
        return min(0.5, wanted / pool) if pool else 0.0

    @staticmethod
    def _working_age_pool(year: int) -> int:
        """Persons in the registry of Y (P(Y)) aged 16–59 in the middle of Y."""
        mid = dt.date(year, 7, 1)
        return (
            Person.objects.filter(registry_on_q(dt.date(year, 12, 31)))
            .filter(birth_date__gt=_years_ago(mid, 60), birth_date__lte=_years_ago(mid, 16))
            .count()
        )

    def _graduate_chance(self, year: int) -> float:
        """Share of the persons aged 21–25 on 31 December in P(Y) who graduate that year."""
        end = dt.date(year, 12, 31)
        pool = (
            Person.objects.filter(registry_on_q(end))
            .filter(birth_date__gt=_years_ago(end, 26), birth_date__lte=_years_ago(end, 21))
            .count()
        )
        wanted = max(round(GRADUATE_SHARE * pool), min(pool, MIN_GRADUATES_PER_YEAR))
        return wanted / pool if pool else 0.0

    def run(self) -> dict[str, int]:
        buffers = _Buffers()
        for chunk in person_rows(PERSON_COLUMNS, self.batch_size):
            for person in chunk:
                self._person(person, buffers)
            self._flush(buffers)
        return buffers.counts

    def _person(self, person: tuple, buffers: _Buffers) -> None:
        pk, birth, issued, status, changed = person
        used: set[tuple] = set()
        self._trainings(pk, birth, issued, status, changed, buffers)
        graduated = self._graduation(pk, birth, issued, status, changed, buffers, used)
        # A graduate's employment comes with the graduation (K11 depends on it), not from here.
        if (
            not graduated
            and 16 <= _age_on(birth, dt.date(2023, 7, 1)) <= 59
            and self.rng.random() < EMPLOYED_SHARE
        ):
            self._employments(pk, birth, changed, buffers, used)

    def _trainings(self, pk, birth, issued, status, changed, buffers: _Buffers) -> None:
        rng = self.rng
        for year in YEARS:
            if rng.random() >= self.training_chance[year]:
                continue
            first, last = max(dt.date(year, 3, 1), issued), dt.date(year, 11, 20)
            # K02 counts a training whose person is in the registry of that year (P(Y) at 31 December).
            if first > last or not in_registry_on(issued, status, changed, dt.date(year, 12, 31)):
                continue
            start = day_between(rng, first, last)
            if not 16 <= _age_on(birth, start) <= 59:
                continue
            name, kind = rng.choice(PROGRAMS)
            end = start + dt.timedelta(days=rng.randint(4, 30))
            buffers.trainings.append((pk, name, kind, start, end, rng.random() < 0.9, self.now, self.now))

    def _employments(self, pk, birth, changed, buffers: _Buffers, used: set) -> None:
        rng = self.rng
        earliest = max(dt.date(2012, 1, 1), _years_ago(birth, -18))  # from the 18th birthday
        start = day_between(rng, earliest, dt.date(2025, 6, 30)) if earliest < dt.date(2025, 6, 30) else None
        jobs = 0
        while start is not None and jobs < 3:
            if changed is not None and start >= changed:
                return
            form = rng.choices([f for f, _ in FORMS], [w for _, w in FORMS])[0]
            ends = rng.random() < 0.35
            end = day_between(rng, start + dt.timedelta(days=90), dt.date(2025, 12, 31)) if ends else None
            if changed is not None and (end is None or end > changed):
                end = changed
            self._add_employment(pk, form, start, end, buffers, used)
            jobs += 1
            if end is None or rng.random() >= 0.5:
                return
            start = end + dt.timedelta(days=rng.randint(30, 300))
            if start > dt.date(2025, 12, 31):
                return

    def _add_employment(self, pk, form, start, end, buffers: _Buffers, used: set) -> None:
        if (form, start) in used:
            return
        used.add((form, start))
        employer = self.rng.choice(EMPLOYERS[form]) if form in EMPLOYERS else ""
        buffers.employments.append((pk, form, employer, start, end, self.now, self.now))

    def _graduation(self, pk, birth, issued, status, changed, buffers: _Buffers, used: set) -> bool:
        """At most one graduation per person; True when the person graduated."""
        rng = self.rng
        for year in YEARS:
            end = dt.date(year, 12, 31)
            if not 21 <= _age_on(birth, end) <= 25 or not in_registry_on(issued, status, changed, end):
                continue
            self.graduates_due[year] += self.graduate_chance[year]
            if self.graduates_seen[year] >= round(self.graduates_due[year]):
                continue
            degree = rng.choices([d for d, _ in DEGREES], [w for _, w in DEGREES])[0]
            buffers.graduates.append((pk, year, rng.choice(SCHOOLS), degree, self.now, self.now))
            self.graduates_seen[year] += 1
            if self.graduates_employed[year] < round(self.employed_target[year] * self.graduates_seen[year]):
                self.graduates_employed[year] += 1
                form = rng.choice(
                    [EmploymentForm.QUOTA, EmploymentForm.FLEXIBLE, EmploymentForm.CONCENTRATED]
                )
                start = day_between(rng, dt.date(year, 7, 1), min(dt.date(year, 11, 30), TODAY_REFERENCE))
                self._add_employment(pk, form, start, None, buffers, used)
            elif year < 2025 and rng.random() < 0.5:
                # Found work the next spring: not employed on 31 December of the graduation year.
                start = day_between(rng, dt.date(year + 1, 2, 1), dt.date(year + 1, 6, 30))
                self._add_employment(pk, EmploymentForm.FLEXIBLE, start, None, buffers, used)
            return True
        return False

    def _flush(self, buffers: _Buffers) -> None:
        for model, columns, rows, key in (
            (Training, TRAINING_COLUMNS, buffers.trainings, "trainings"),
            (Employment, EMPLOYMENT_COLUMNS, buffers.employments, "employments"),
            (Graduate, GRADUATE_COLUMNS, buffers.graduates, "graduates"),
        ):
            write_rows(model, columns, rows)
            buffers.counts[key] += len(rows)
            rows.clear()


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    """Write demo trainings, employment records and graduates; return how many of each."""
    return EmploymentDemo(rng=rng, batch_size=batch_size).run()
