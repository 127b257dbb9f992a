"""Demo rehab services for `manage.py generate_demo_data`, drawn from the surveys in the database.

Each year 2020–2025: a rehabilitation service for ~90% of the persons whose survey states a rehab
need, a device fitting for ~88% of those needing a device (轮椅, 助听器, 盲杖, 假肢…), a home
modification for ~80% of low-income households needing one, and some family-doctor services for
others. A few services are dated before the certificate was issued, for the data-quality page.
Persons are read in id order in chunks and rows are written with COPY (registry.demo.write_rows).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from registry.demo import TODAY_REFERENCE, write_counted_by_kind
from registry.demo_rows import PERSON_FACTS, PersonFacts, person_rows
from registry.models import LOW_INCOME_TYPES, Survey
from rehab.models import RehabKind, RehabService

SERVICE_COLUMNS = [
    "person_id",
    "kind",
    "service_date",
    "provider",
    "device_name",
    "amount",
    "created_at",
    "updated_at",
]
YEARS = range(2020, 2027)  # through the current year (services dated up to TODAY_REFERENCE)
REHAB_SHARE = 0.90
DEVICE_SHARE = 0.88
BARRIER_FREE_SHARE = 0.80
UNASKED_FAMILY_DOCTOR_SHARE = 0.05
MISDATED_SHARE = 0.02  # of the services in the year the certificate was issued

REHAB_PROVIDERS = ["鼓楼区残疾人康复中心", "南京市康复医院", "鼓楼区社区卫生服务中心", "江苏省人民医院康复科"]
MENTAL_PROVIDERS = ["鼓楼区精神障碍社区康复站", "南京脑科医院"]
CHILD_PROVIDERS = ["南京市儿童医院康复中心", "鼓楼区特殊儿童康复中心"]
DEVICE_PROVIDER = "鼓楼区残疾人辅助器具服务中心"
BARRIER_FREE_PROVIDER = "鼓楼区残联无障碍改造项目"
# 辅具 by 残疾类别 (code): what a fitting usually is.
DEVICES = {
    "1": ["盲杖", "助视器", "读屏软件", "盲表"],
    "2": ["助听器", "闪光门铃"],
    "3": ["语言训练器"],
    "4": ["轮椅", "助行器", "假肢", "拐杖", "矫形器", "坐便椅"],
    "5": ["护理床", "防走失定位器"],
    "6": ["护理床", "防走失定位器"],
    "7": ["轮椅", "护理床", "助行器"],
}
DEVICE_PRICE = {"假肢": (3000, 12000), "轮椅": (600, 2500), "助听器": (1500, 6000), "护理床": (1200, 3500)}


def person_chunks(chunk_size: int) -> Iterator[list[PersonFacts]]:
    """Surveyed persons in id order with their surveys of 2020–2025: two queries per chunk."""
    # PersonFacts.surveys: year -> (needs_rehab, needs_device, needs_barrier_free, low_income)
    for rows in person_rows(PERSON_FACTS, chunk_size):
        persons = {row[0]: PersonFacts(*row) for row in rows}
        last_pk = rows[-1][0]
        surveys = Survey.objects.filter(
            person_id__gte=rows[0][0], person_id__lte=last_pk, year__gte=YEARS.start, year__lt=YEARS.stop
        ).values_list(
            "person_id", "year", "needs_rehab", "needs_device", "needs_barrier_free", "low_income_type"
        )
        for person_id, year, rehab, device, barrier, low_income in surveys.iterator(chunk_size=chunk_size):
            persons[person_id].surveys[year] = (rehab, device, barrier, low_income in LOW_INCOME_TYPES)
        yield [p for p in persons.values() if p.surveys]


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.rows: list[tuple] = []

    def service(self, person: PersonFacts, year: int, kind: str, provider: str, device: str, amount) -> None:
        """One service on a day of `year` while the person was in the registry (a few days too early)."""
        rng = self.rng
        first = max(dt.date(year, 1, 1), person.issued)
        last = min(dt.date(year, 12, 31), TODAY_REFERENCE)
        if person.changed:
            last = min(last, person.changed - dt.timedelta(days=1))
        if first > last:
            return
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        if person.issued.year == year and rng.random() < MISDATED_SHARE:
            # recorded before the certificate: accepted, and flagged on the data-quality page
            day = person.issued - dt.timedelta(days=rng.randint(7, 45))
        self.rows.append((person.pk, kind, day, provider, device, amount, self.now, self.now))


def _rehab_kind(rng: random.Random, person: PersonFacts, year: int) -> tuple[str, str]:
    if year - person.birth.year < 18 and rng.random() < 0.7:
        return RehabKind.CHILD_REHAB, rng.choice(CHILD_PROVIDERS)
    if person.category == "6" and rng.random() < 0.6:
        return RehabKind.MENTAL_COMMUNITY, rng.choice(MENTAL_PROVIDERS)
    kind = rng.choices([RehabKind.BASIC, RehabKind.FAMILY_DOCTOR, RehabKind.HOME_REHAB], [50, 25, 25])[0]
    return kind, rng.choice(REHAB_PROVIDERS)


def _services_of(w: _Writer, person: PersonFacts) -> None:
    rng = w.rng
    for year, (needs_rehab, needs_device, needs_barrier_free, low_income) in sorted(person.surveys.items()):
        if needs_rehab and rng.random() < REHAB_SHARE:
            kind, provider = _rehab_kind(rng, person, year)
            w.service(person, year, kind, provider, "", Decimal(rng.randrange(200, 3001, 50)))
        elif not needs_rehab and rng.random() < UNASKED_FAMILY_DOCTOR_SHARE:
            w.service(person, year, RehabKind.FAMILY_DOCTOR, rng.choice(REHAB_PROVIDERS), "", None)
        if needs_device and rng.random() < DEVICE_SHARE:
            device = rng.choice(DEVICES[person.category])
            low, high = DEVICE_PRICE.get(device, (100, 1500))
            w.service(
                person,
                year,
                RehabKind.ASSISTIVE_DEVICE,
                DEVICE_PROVIDER,
                device,
                Decimal(rng.randrange(low, high + 1, 10)),
            )
        if needs_barrier_free and low_income and rng.random() < BARRIER_FREE_SHARE:
            amount = Decimal(rng.randrange(3000, 15001, 100))
            w.service(person, year, RehabKind.BARRIER_FREE, BARRIER_FREE_PROVIDER, "", amount)


def _service_rows(rng: random.Random, batch_size: int) -> Iterator[list[tuple]]:
    for persons in person_chunks(max(batch_size, 1000)):
        writer = _Writer(rng)
        for person in persons:
            _services_of(writer, person)
        yield writer.rows


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    """Write demo rehab services for every surveyed person; returns the number of rows written."""
    rows = _service_rows(rng, batch_size)
    return write_counted_by_kind(RehabService, SERVICE_COLUMNS, rows, title="康复服务记录", kinds=RehabKind)
