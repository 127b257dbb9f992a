"""Demo 教育助学 records and 送教上门 visits for `manage.py generate_demo_data`, drawn from the surveys.

Each year 2020–2026 (2026 up to the demo's today, from its campaign survey where done, else the 2025
survey; this step runs after the demo campaign), for the persons in the
register that year, by completed age on 31 August:
- 3–5 (学前): a 学前 助学补贴 for ~25%;
- 6–14 at school (普通学校/特殊教育学校): a 义务教育 助学补贴 for ~55% (a third of them each term),
  an 奖励 for ~6%;
- 6–14 taught at home (survey 送教上门): a 送教上门 record in September and 8–16 visits in term time;
- 6–15 未入学: half of them are visited (4–10 visits, some with a 送教上门 record), the other half are
  not: they make the year's gap list (未入学且无送教上门);
- 15–17 at school: a 高中/中职 助学补贴 for ~65%, an 奖励 for ~8%, a 教材费补助 (其他) for ~6%;
- 18–22: a 大学 助学补贴 for ~6%, some with an 入学一次性补助 (其他) or an 奖励.
With the default 3,000 persons (seed 2025) this is 90–160 人次 of aid a year, some 970 from 2020 to
2026, the scale of the last plan's review ("为950人次残疾学生提供各类教育补助"), about 900 visits, and
1–6 children a year on the gap list (未入学, no 送教上门) beside others who are visited.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from registry.demo import TODAY_REFERENCE, write_rows
from registry.demo_rows import PERSON_FACTS, PersonFacts, analyze_table, person_rows
from registry.models import Survey

AID_COLUMNS = [
    "person_id",
    "stage",
    "school",
    "kind",
    "aid_date",
    "amount",
    "notes",
    "created_at",
    "updated_at",
]
VISIT_COLUMNS = ["person_id", "visit_date", "teacher", "content", "created_at", "updated_at"]
YEARS = range(2020, TODAY_REFERENCE.year + 1)
LAST_SURVEY_YEAR = 2025

KINDERGARTENS = ["鼓楼区第一幼儿园", "南京市实验幼儿园", "鼓楼区宁海路幼儿园", "鼓楼区华侨路幼儿园"]
PRIMARY = [
    "南京市琅琊路小学",
    "南京市力学小学",
    "南京市拉萨路小学",
    "鼓楼区第一中心小学",
    "南京市第二十九中学",
]
SPECIAL = ["南京市鼓楼区特殊教育学校", "南京市盲人学校", "南京市聋人学校"]
HIGH = ["南京市第十二中学", "南京市中华职业教育学校", "南京市特殊教育职业学校", "南京市第三中学"]
UNIVERSITY = ["南京大学", "南京师范大学", "南京特殊教育师范学院", "南京理工大学", "南京中医药大学"]
TEACHERS = ["王老师", "李老师", "张老师", "刘老师", "陈老师", "杨老师", "赵老师", "周老师"]
CONTENTS = [
    "生活自理训练",
    "语言康复训练",
    "认知训练",
    "语文识字",
    "数学启蒙",
    "精细动作训练",
    "音乐律动",
    "心理疏导",
]
TERM_MONTHS = (3, 4, 5, 6, 9, 10, 11, 12)


def _school_age(birth: dt.date, year: int) -> int:
    cutoff = dt.date(year, 8, 31)
    return cutoff.year - birth.year - ((cutoff.month, cutoff.day) < (birth.month, birth.day))


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.aids: list[tuple] = []
        self.visits: list[tuple] = []
        self._keys: set[tuple] = set()

    def _window(self, person: PersonFacts, year: int) -> tuple[dt.date, dt.date] | None:
        first = max(dt.date(year, 1, 1), person.issued)
        last = min(dt.date(year, 12, 31), TODAY_REFERENCE)
        if person.changed:
            last = min(last, person.changed - dt.timedelta(days=1))
        return (first, last) if first <= last else None

    def _day(self, person: PersonFacts, year: int, month: int) -> dt.date | None:
        window = self._window(person, year)
        if window is None:
            return None
        day = dt.date(year, month, self.rng.randint(1, 28))
        return day if window[0] <= day <= window[1] else None

    def aid(self, person, year, month, stage, school, kind, amount, notes="") -> None:
        day = self._day(person, year, month)
        if day is None or (person.pk, kind, day) in self._keys:
            return
        self._keys.add((person.pk, kind, day))
        self.aids.append((person.pk, stage, school, kind, day, amount, notes, self.now, self.now))

    def visits_of(self, person, year, count: int) -> None:
        teacher = self.rng.choice(TEACHERS)
        months = sorted(self.rng.choices(TERM_MONTHS, k=count))
        for month in months:
            day = self._day(person, year, month)
            if day is None or (person.pk, day, teacher) in self._keys:
                continue
            self._keys.add((person.pk, day, teacher))
            content = "、".join(self.rng.sample(CONTENTS, 2))
            self.visits.append((person.pk, day, teacher, content, self.now, self.now))


def _money(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, step))


def _records_of(w: _Writer, person: PersonFacts) -> None:
    rng = w.rng
    for year in YEARS:
        # this year's campaign survey where it is done, else the last full year's
        education = person.surveys.get(year, person.surveys.get(min(year, LAST_SURVEY_YEAR)))
        if education is None:
            continue
        age = _school_age(person.birth, year)
        if 3 <= age <= 5:
            if rng.random() < 0.25:
                school = rng.choice(KINDERGARTENS)
                w.aid(person, year, 10, Stage.PRESCHOOL, school, AidKind.GRANT, _money(rng, 1000, 2000))
        elif 6 <= age <= 14 and education in ("regular", "special"):
            school = rng.choice(SPECIAL if education == "special" else PRIMARY)
            if rng.random() < 0.55:
                w.aid(person, year, 9, Stage.COMPULSORY, school, AidKind.GRANT, _money(rng, 500, 1500))
                if rng.random() < 0.33:
                    w.aid(person, year, 3, Stage.COMPULSORY, school, AidKind.GRANT, _money(rng, 500, 1500))
            if rng.random() < 0.06:
                w.aid(
                    person,
                    year,
                    6,
                    Stage.COMPULSORY,
                    school,
                    AidKind.AWARD,
                    _money(rng, 300, 1000),
                    "三好学生",
                )
        elif 6 <= age <= 14 and education == "home":
            w.aid(
                person,
                year,
                9,
                Stage.COMPULSORY,
                SPECIAL[0],
                AidKind.HOME_TEACHING,
                None,
                "特殊教育学校送教上门",
            )
            w.visits_of(person, year, rng.randint(8, 16))
        elif 6 <= age <= 15 and education == "not_enrolled":
            if rng.random() < 0.5:
                if rng.random() < 0.5:
                    w.aid(person, year, 9, Stage.COMPULSORY, SPECIAL[0], AidKind.HOME_TEACHING, None)
                w.visits_of(person, year, rng.randint(4, 10))
        elif 15 <= age <= 17 and education in ("regular", "special"):
            school = rng.choice(HIGH)
            if rng.random() < 0.65:
                w.aid(person, year, 9, Stage.HIGH_SCHOOL, school, AidKind.GRANT, _money(rng, 1500, 3000))
            if rng.random() < 0.08:
                w.aid(person, year, 12, Stage.HIGH_SCHOOL, school, AidKind.AWARD, _money(rng, 500, 2000))
            if rng.random() < 0.06:
                w.aid(
                    person,
                    year,
                    3,
                    Stage.HIGH_SCHOOL,
                    school,
                    AidKind.OTHER,
                    _money(rng, 200, 800),
                    "教材费补助",
                )
        elif 18 <= age <= 22 and rng.random() < 0.06:
            school = rng.choice(UNIVERSITY)
            w.aid(person, year, 9, Stage.UNIVERSITY, school, AidKind.GRANT, _money(rng, 3000, 8000, 500))
            if rng.random() < 0.3:
                w.aid(
                    person,
                    year,
                    10,
                    Stage.UNIVERSITY,
                    school,
                    AidKind.OTHER,
                    _money(rng, 1000, 3000),
                    "入学一次性补助",
                )
            if rng.random() < 0.2:
                w.aid(person, year, 12, Stage.UNIVERSITY, school, AidKind.AWARD, _money(rng, 1000, 5000, 500))


def person_chunks(chunk_size: int):
    """Persons aged 2–23 in the demo period, with their survey's 受教育状况 by year."""
    youngest_birth = dt.date(YEARS.start - 23, 1, 1)
    for rows in person_rows(PERSON_FACTS, chunk_size):
        persons = {row[0]: PersonFacts(*row) for row in rows if row[1] >= youngest_birth}
        if not persons:
            continue
        surveys = Survey.objects.filter(
            person_id__in=list(persons), year__gte=YEARS.start, year__lte=YEARS.stop - 1
        ).values_list("person_id", "year", "education")
        for person_id, year, education in surveys:
            persons[person_id].surveys[year] = education
        yield [p for p in persons.values() if p.surveys]


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    """Write demo aid records and visits; returns the numbers written."""
    kinds: Counter = Counter()
    visits = 0
    for persons in person_chunks(max(batch_size, 1000)):
        writer = _Writer(rng)
        for person in persons:
            _records_of(writer, person)
        write_rows(EducationAid, AID_COLUMNS, writer.aids)
        write_rows(HomeTeachingVisit, VISIT_COLUMNS, writer.visits)
        kinds.update(row[3] for row in writer.aids)
        visits += len(writer.visits)
    analyze_table(EducationAid)
    analyze_table(HomeTeachingVisit)
    return (
        {"教育助学记录": sum(kinds.values())}
        | {AidKind(kind).label: n for kind, n in sorted(kinds.items())}
        | {"送教上门走访": visits}
    )
