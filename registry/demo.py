"""Deterministic, realistic demo data for the register: communities, persons and annual surveys.

Rows are generated in chunks (memory stays bounded at a million persons) and written in bulk: COPY on
PostgreSQL, multi-row INSERTs elsewhere. Generated rows have no history records (django-simple-history
records only saves made through the services).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from core.idnumbers import check_digit
from core.models import Community, CommunityWorker, Street
from core.pinyin import name_pinyin
from registry.demo_rows import analyze_table, in_registry_on
from registry.models import SURVEY_HOUSEHOLD_FIELDS, Person, Survey

# 2019–2025; the current year's surveys are those of the demo campaign (campaigns/demo.py), which
# is under way with some communities done and some behind.
SURVEY_YEARS = range(2019, 2026)
SURVEY_SHARE: dict[int, float] = {}
TODAY_REFERENCE = dt.date(2026, 11, 28)  # fixed so that two runs with one seed give identical data

# Region codes of ID numbers: mostly Gulou (320106) and the former Xiaguan (320107), some elsewhere in Nanjing.
REGIONS = ["320106", "320107", "320102", "320104", "320105", "320111", "320113", "320114", "320115", "320116"]
REGION_WEIGHTS = [78, 8, 3, 3, 2, 1, 2, 1, 1, 1]
FIRST_BIRTH = dt.date(1925, 1, 1)

COMMUNITIES = {
    "宁海路街道": ["宁海路社区", "颐和路社区", "江苏路社区", "北京西路社区", "西康路社区", "琅琊路社区"],
    "华侨路街道": ["华侨路社区", "五台山社区", "龙仓巷社区", "陶谷社区", "西桥社区"],
    "湖南路街道": ["湖南路社区", "马台街社区", "高云岭社区", "青石村社区", "山西路社区"],
    "中央门街道": ["中央门社区", "福建路社区", "玉桥社区", "龙池庵社区", "蓝旗街社区"],
    "挹江门街道": ["挹江门社区", "汉中门社区", "石头城社区", "北祥街社区", "随家仓社区"],
    "江东街道": ["江东社区", "龙江社区", "定淮门社区", "清凉门社区", "滨江社区"],
    "凤凰街道": ["凤凰街社区", "清江社区", "宝船社区", "石城社区"],
    "阅江楼街道": ["阅江楼社区", "南通路社区", "天妃宫社区", "大马路社区", "静海寺社区"],
    "热河南路街道": ["热河南路社区", "二板桥社区", "东炮台社区", "商埠街社区"],
    "幕府山街道": ["幕府山社区", "幕府西路社区", "金燕社区", "老虎山社区", "新民门社区"],
    "建宁路街道": ["建宁路社区", "金川门社区", "三汊河社区", "南祖师庵社区", "铁路北街社区"],
    "宝塔桥街道": ["宝塔桥社区", "西江社区", "萨家湾社区", "和燕路社区", "东井亭社区"],
    "小市街道": ["小市社区", "五所村社区", "永宁街社区", "南化社区", "和平门社区"],
}
STREET_WEIGHTS = {
    "宁海路街道": 9,
    "华侨路街道": 7,
    "湖南路街道": 8,
    "中央门街道": 8,
    "挹江门街道": 7,
    "江东街道": 9,
    "凤凰街道": 6,
    "阅江楼街道": 7,
    "热河南路街道": 6,
    "幕府山街道": 8,
    "建宁路街道": 7,
    "宝塔桥街道": 8,
    "小市街道": 7,
}

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海燕红梅凤云飞鹏斌宇浩凯"
    "婷雪琳晨欣怡佳颖子涵梓轩博宁远德顺福寿荣庆春秋冬晓光辉新民"
)
# 残疾类别 mix: 肢体 most common, then 视力, 听力, 精神, 智力, 言语, 多重.
CATEGORIES = ["4", "1", "2", "6", "5", "3", "7"]
CATEGORY_WEIGHTS = [48, 14, 13, 10, 8, 2, 5]
GRADES = ["1", "2", "3", "4"]
GRADE_WEIGHTS = [14, 24, 30, 32]
# Age buckets (completed years on TODAY_REFERENCE): children incl. school age, adults, the elderly.
AGE_BUCKETS = [(0, 5), (6, 14), (15, 17), (18, 44), (45, 59), (60, 79), (80, 95)]
AGE_WEIGHTS = [2, 6, 3, 17, 24, 33, 15]

DEMO_BANKS = [
    ("中国工商银行南京鼓楼支行", "622202"),
    ("中国建设银行南京鼓楼支行", "621700"),
    ("中国农业银行南京鼓楼支行", "622848"),
    ("中国银行南京鼓楼支行", "621661"),
    ("江苏银行南京鼓楼支行", "622173"),
    ("南京银行鼓楼支行", "622303"),
]
PERSON_COLUMNS = [
    "id",
    "id_number",
    "name",
    "certificate_number",
    "sex",
    "birth_date",
    "category",
    "grade",
    "issued_on",
    "street_id",
    "community_id",
    "address",
    "phone",
    "status",
    "status_changed_on",
    "created_at",
    "updated_at",
    "bank_name",
    "bank_account",
    "name_pinyin",
    "name_initials",
]
SURVEY_COLUMNS = ["person_id", "year", *SURVEY_HOUSEHOLD_FIELDS, "created_at", "updated_at"]


@dataclass
class DemoCounts:
    communities: int = 0
    persons: int = 0
    surveys: int = 0
    roster: int = 0


@dataclass
class _Household:
    size: int
    per_capita_2019: float
    growth: float
    low_income: str
    dibao_eligible: bool


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _age_on(birth: dt.date, date: dt.date) -> int:
    return date.year - birth.year - ((date.month, date.day) < (birth.month, birth.day))


class DemoGenerator:
    """Draws everything from one random.Random(seed), in a fixed order: same seed, same data."""

    def __init__(self, *, seed: int, chunk_size: int = 20000):
        self.rng = random.Random(seed)
        # Bank details draw from their own generator: the persons, surveys and records stay the
        # same as before bank details existed.
        self.bank_rng = random.Random(seed * 7919 + 11)
        self.chunk_size = chunk_size
        self.now = timezone.now()
        # Per (region, birth day): how many ID numbers were handed out (unique sequence numbers).
        days = (TODAY_REFERENCE - FIRST_BIRTH).days + 1
        self._sequence_used = array("H", bytes(2 * days * len(REGIONS)))
        self._days = days

    # -- communities -----------------------------------------------------------------------------
    def ensure_communities(self) -> tuple[list[tuple[Street, list[int]]], int]:
        """The demo communities of every street (created when missing): [(street, [community ids])]."""
        created = 0
        streets = list(Street.objects.order_by("order", "id"))
        existing = {(c.street_id, c.name): c.pk for c in Community.objects.all()}
        result = []
        for street in streets:
            ids = []
            for name in COMMUNITIES.get(street.name, [f"{street.short_name}社区"]):
                pk = existing.get((street.pk, name))
                if pk is None:
                    pk = Community.objects.create(street=street, name=name).pk
                    created += 1
                ids.append(pk)
            result.append((street, ids))
        return result, created

    # -- persons ---------------------------------------------------------------------------------
    def _id_number(self, birth: dt.date, male: bool) -> str:
        region_index = self.rng.choices(range(len(REGIONS)), REGION_WEIGHTS)[0]
        slot = region_index * self._days + (birth - FIRST_BIRTH).days
        used = self._sequence_used[slot]
        if used >= 499:  # this region and day are full: use the main region's next free day slot
            return self._id_number(birth + dt.timedelta(days=1), male)
        self._sequence_used[slot] = used + 1
        sequence = used * 2 + (1 if male else 0)  # odd 17th digit: male
        first17 = f"{REGIONS[region_index]}{birth:%Y%m%d}{sequence:03d}"
        return first17 + check_digit(first17)

    def _phone(self) -> str:
        draw = self.rng.random()
        if draw < 0.82:
            return f"1{self.rng.choice('3456789')}{self.rng.randint(0, 999_999_999):09d}"
        if draw < 0.94:
            return f"025-{self.rng.randint(5_000_0000, 8_999_9999)}"
        return ""

    def _status(self, issued: dt.date, age: int) -> tuple[str, dt.date | None]:
        draw = self.rng.random()
        death_share = 0.10 if age >= 80 else 0.05 if age >= 60 else 0.015
        if draw < death_share:
            status = "deceased"
        elif draw < death_share + 0.02:
            status = "moved_out"
        elif draw < death_share + 0.03:
            status = "cancelled"
        else:
            return "active", None
        start = max(issued + dt.timedelta(days=30), dt.date(2020, 1, 1))
        end = dt.date(2025, 12, 31)
        if start > end:
            return "active", None
        return status, _date_between(self.rng, start, end)

    def persons(self, count: int, streets: list[tuple[Street, list[int]]]) -> Iterator[list[tuple]]:
        """Chunks of person rows (PERSON_COLUMNS order, explicit ids from 1)."""
        rng = self.rng
        street_weights = [STREET_WEIGHTS.get(s.name, 7) for s, _ in streets]
        bucket_indexes = range(len(AGE_BUCKETS))
        chunk = []
        for pk in range(1, count + 1):
            low, high = AGE_BUCKETS[rng.choices(bucket_indexes, AGE_WEIGHTS)[0]]
            age = rng.randint(low, high)
            birth = TODAY_REFERENCE.replace(year=TODAY_REFERENCE.year - age - 1) + dt.timedelta(
                days=rng.randint(1, 364)
            )
            birth = min(birth, TODAY_REFERENCE - dt.timedelta(days=30))
            male = rng.random() < 0.54
            id_number = self._id_number(birth, male)
            birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
            earliest = max(dt.date(2000, 1, 1), birth + dt.timedelta(days=180))
            if rng.random() < 0.3:  # recent certificates: some issued within the plan period
                earliest = max(earliest, dt.date(2020, 1, 1))
            issued = (
                _date_between(rng, earliest, dt.date(2025, 12, 31))
                if earliest < dt.date(2025, 12, 31)
                else (_date_between(rng, birth + dt.timedelta(days=20), TODAY_REFERENCE))
            )
            status, changed = self._status(issued, age)
            street, community_ids = streets[rng.choices(range(len(streets)), street_weights)[0]]
            community_index = rng.randrange(len(community_ids))
            community_id = community_ids[community_index]
            base = COMMUNITIES.get(street.name, [street.short_name])[community_index].removesuffix("社区")
            address = f"南京市鼓楼区{base}{rng.randint(1, 199)}号{rng.randint(1, 30)}幢{rng.randint(1, 6)}{rng.randint(1, 4):02d}室"
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            chunk.append(
                (
                    pk,
                    id_number,
                    name,
                    f"{id_number}{category}{grade}",
                    "M" if male else "F",
                    birth,
                    category,
                    grade,
                    issued,
                    street.pk,
                    community_id,
                    address,
                    self._phone(),
                    status,
                    changed,
                    self.now,
                    self.now,
                    *self._bank(),
                    *name_pinyin(name),
                )
            )
            if len(chunk) >= self.chunk_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _bank(self) -> tuple[str, str]:
        """Most persons have a bank account (银行账号: 16–19 digits); about 8% have none."""
        rng = self.bank_rng
        if rng.random() < 0.08:
            return "", ""
        bank, prefix = rng.choice(DEMO_BANKS)
        length = rng.choice((16, 19))
        digits = "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        return bank, prefix + digits

    # -- surveys ---------------------------------------------------------------------------------
    def _household(self, category: str, grade: str) -> _Household:
        rng = self.rng
        size = rng.choices((1, 2, 3, 4, 5, 6), (14, 30, 28, 16, 8, 4))[0]
        draw = rng.random()
        severe = grade in ("1", "2")
        low_share = 0.13 if severe else 0.08
        if draw < low_share * 0.5:
            low_income = "dibao"
        elif draw < low_share * 0.8:
            low_income = "dibao_edge"
        elif draw < low_share:
            low_income = "tekun"
        else:
            low_income = "none"
        per_capita = rng.uniform(7000, 14000) if low_income != "none" else rng.lognormvariate(10.4, 0.35)
        eligible = low_income in ("dibao", "tekun") or (low_income == "dibao_edge" and rng.random() < 0.15)
        return _Household(size, per_capita, rng.uniform(1.035, 1.065), low_income, eligible)

    def surveys(self, person_rows: list[tuple]) -> list[tuple]:
        """Surveys 2019–2025 for ~90% of the persons in the registry each year, in SURVEY_COLUMNS order
        (the current year's come from the demo campaign)."""
        rng = self.rng
        rows = []
        for row in person_rows:
            pk, birth, category, grade, issued, status, changed = (
                row[0],
                row[5],
                row[6],
                row[7],
                row[8],
                row[13],
                row[14],
            )
            household = self._household(category, grade)
            needs_rehab_base = 0.45 if grade in ("1", "2") else 0.28
            device_base = 0.22 if category in ("1", "2", "4") else 0.06
            care_base = 0.14 if category in ("5", "6", "7") and grade in ("1", "2") else 0.02
            barrier_base = 0.25 if household.low_income != "none" and category in ("1", "4") else 0.04
            for year in SURVEY_YEARS:
                end = dt.date(year, 12, 31)
                if not in_registry_on(issued, status, changed, end) or rng.random() >= SURVEY_SHARE.get(
                    year, 0.9
                ):
                    continue
                size = household.size
                income = household.per_capita_2019 * size * household.growth ** (year - 2019)
                income = Decimal(f"{income * rng.uniform(0.97, 1.03):.2f}")
                school_age = _age_on(birth, dt.date(year, 8, 31))
                if 6 <= school_age <= 14:
                    education = rng.choices(
                        ("regular", "special", "home", "not_enrolled", "suspended"), (68, 17, 8, 4, 3)
                    )[0]
                elif 15 <= school_age <= 17:
                    education = rng.choices(("regular", "special", "suspended", "na"), (55, 20, 10, 15))[0]
                else:
                    education = "na"
                age = _age_on(birth, end)
                if age >= 60:
                    pension = rng.choices(("receiving", "insured", "not_insured"), (90, 5, 5))[0]
                elif age >= 16:
                    pension = rng.choices(("insured", "not_insured", ""), (91, 7, 2))[0]
                else:
                    pension = "na"
                medical = rng.choices(("insured", "not_insured", ""), (95, 3, 2))[0]
                rows.append(
                    (
                        pk,
                        year,
                        size,
                        income,
                        household.low_income,
                        household.dibao_eligible,
                        rng.random() < needs_rehab_base,
                        rng.random() < device_base,
                        rng.random() < care_base,
                        rng.random() < barrier_base,
                        education,
                        pension,
                        medical,
                        self.now,
                        self.now,
                    )
                )
        return rows


# -- writing -------------------------------------------------------------------------------------


def write_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL; batched multi-row INSERT elsewhere (SQLite's quick start)."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            buffer.writelines(
                "\t".join(["\\N" if value is None else str(value) for value in row]) + "\n" for row in rows
            )
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        else:
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            placeholders = ", ".join(["%s"] * len(columns))
            # SQLite allows 32766 variables per statement.
            per_statement = max(1, 30000 // len(columns))
            for start in range(0, len(rows), per_statement):
                batch = rows[start : start + per_statement]
                values = ", ".join([f"({placeholders})"] * len(batch))
                params = [_adapt(value) for row in batch for value in row]
                cursor.execute(f"INSERT INTO {table} ({quoted}) VALUES {values}", params)


def write_counted_by_kind(
    model, columns: list[str], batches: Iterable[list[tuple]], *, title: str, kinds
) -> dict:
    """Write each batch of rows (their second column the `kinds` code), then fresh planner statistics.
    Returns the counts the command prints: `title` with the total, then each kind's label."""
    total = 0
    by_kind: Counter = Counter()
    for rows in batches:
        write_rows(model, columns, rows)
        total += len(rows)
        by_kind.update(row[1] for row in rows)
    analyze_table(model)
    return {title: total} | {kinds(kind).label: n for kind, n in sorted(by_kind.items())}


def _adapt(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def reset_sequences() -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), [Person, Survey, Community])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Person._meta.db_table}, {Survey._meta.db_table}")


def generate_roster(*, seed: int) -> int:
    """专职委员 for every community that has none yet: one or two in post, some with an ended predecessor.

    Drawn from its own random.Random so that the persons of a seed stay the same."""
    rng = random.Random(seed * 7919 + 17)
    with_roster = set(CommunityWorker.objects.values_list("community_id", flat=True))
    rows = []
    for community in Community.objects.order_by("street__order", "name", "pk"):
        if community.pk in with_roster:
            continue
        since = _date_between(rng, dt.date(2019, 1, 1), dt.date(2025, 6, 30))
        in_post = 2 if rng.random() < 0.35 else 1
        if rng.random() < 0.4:
            earlier = _date_between(rng, dt.date(2012, 1, 1), since - dt.timedelta(days=400))
            rows.append(_roster_entry(rng, community, earlier, since - dt.timedelta(days=1)))
        for _ in range(in_post):
            rows.append(_roster_entry(rng, community, since, None))
            since = _date_between(rng, since, dt.date(2025, 12, 31))
    CommunityWorker.objects.bulk_create(rows)
    return len(rows)


def _roster_entry(rng: random.Random, community, since: dt.date, until: dt.date | None) -> CommunityWorker:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    return CommunityWorker(community=community, name=name, phone=phone, since=since, until=until)
