"""Demo 法律救助 for `manage.py generate_demo_data`: two believable years of the district's stations.

Each year (2025, and 2026 up to the demo's today) about 400 consultations (人次: 70% by registered
persons, the others by relatives or anonymous callers, every street, more on weekdays) and about 30
aid cases (调解 and 诉讼代理 most often). Cases of the earlier months are mostly closed with an
outcome and often an amount recovered; a few of the current year have been open for more than 90
days (the workbench's to-do). Persons are sampled by primary key, a few queries whatever the size
of the register; the rows are written in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Max, Min

from core.models import Street
from legal_aid.models import AidCase, AidKind, Channel, Consultation, Outcome, Topic
from registry.demo import TODAY_REFERENCE
from registry.models import Person, PersonStatus

YEARS = {2025: (410, 32), 2026: (380, 28)}  # consultations, aid cases
HANDLERS = ["王律师", "李律师", "陈律师", "张律师", "刘律师", "赵律师", "周律师", "吴律师"]
COUNSELS = [
    "鼓楼区法律援助中心",
    "江苏石城律师事务所",
    "江苏钟山明镜律师事务所",
    "南京市鼓楼区人民调解委员会",
    "江苏圣典律师事务所",
    "鼓楼区残疾人法律救助工作站",
]
SUMMARIES = {
    Topic.FAMILY: ["离婚后子女抚养费如何主张", "家庭暴力如何申请人身安全保护令", "监护人变更需要哪些手续"],
    Topic.LABOUR: ["用人单位拖欠工资如何维权", "残疾职工被解除劳动合同是否合法", "工伤认定程序咨询"],
    Topic.SOCIAL_SECURITY: [
        "重度残疾人护理补贴申请条件",
        "低保被取消后如何申请复核",
        "城乡居民养老保险代缴政策",
    ],
    Topic.HOUSING: ["老旧小区加装电梯费用分摊", "租房押金被扣如何处理", "拆迁安置补偿标准咨询"],
    Topic.TORT: ["交通事故致残赔偿标准", "医疗损害责任纠纷如何起诉", "被狗咬伤的赔偿责任"],
    Topic.CONTRACT: ["辅具购买合同纠纷", "借款不还如何起诉", "网购退货被拒如何投诉"],
    Topic.INHERITANCE: ["父母遗产继承份额", "子女不履行赡养义务怎么办", "遗嘱公证流程"],
    Topic.OTHER: ["残疾人证遗失补办", "无障碍设施被占用如何投诉", "法律援助申请条件"],
}
TOPIC_WEIGHTS = [14, 22, 24, 10, 10, 6, 9, 5]
CHANNEL_WEIGHTS = {
    Channel.VISIT: 45,
    Channel.PHONE: 35,
    Channel.ONLINE: 10,
    Channel.OUTREACH: 8,
    Channel.OTHER: 2,
}
KIND_WEIGHTS = {
    AidKind.MEDIATION: 35,
    AidKind.LITIGATION: 25,
    AidKind.REFERRAL: 20,
    AidKind.DOCUMENT: 15,
    AidKind.OTHER: 5,
}
CASE_SUBJECTS = {
    AidKind.LITIGATION: ["劳动争议", "交通事故赔偿", "医疗损害赔偿", "赡养纠纷"],
    AidKind.MEDIATION: ["邻里纠纷", "物业纠纷", "劳动报酬纠纷", "家庭矛盾"],
    AidKind.REFERRAL: ["工伤赔偿", "离婚纠纷", "借款合同纠纷"],
    AidKind.DOCUMENT: ["起诉状代写", "仲裁申请书代写", "遗嘱代书"],
    AidKind.OTHER: ["法律文书送达协助", "行政复议咨询协助"],
}
OUTCOMES = {
    AidKind.LITIGATION: [Outcome.UPHELD, Outcome.PARTLY, Outcome.REJECTED, Outcome.WITHDRAWN],
    AidKind.MEDIATION: [Outcome.SETTLED, Outcome.SETTLED, Outcome.WITHDRAWN],
    AidKind.REFERRAL: [Outcome.REFERRED],
    AidKind.DOCUMENT: [Outcome.DONE],
    AidKind.OTHER: [Outcome.DONE],
}
RECOVERING_OUTCOMES = (Outcome.UPHELD, Outcome.PARTLY, Outcome.SETTLED)


def _sample_persons(rng: random.Random, count: int) -> list[tuple[int, int, int | None]]:
    """(pk, street id, community id) of `count` active persons, drawn by primary key."""
    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    found: dict[int, tuple] = {}
    for _ in range(5):
        wanted = {rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)}
        rows = Person.objects.filter(pk__in=wanted, status=PersonStatus.ACTIVE).values_list(
            "pk", "street_id", "community_id"
        )
        found.update({row[0]: row for row in rows})
        if len(found) >= count:
            break
    persons = sorted(found.values())
    rng.shuffle(persons)
    return persons[:count]


def _day_in(rng: random.Random, year: int) -> dt.date:
    """A working day of `year` up to the demo's today (consultations happen on weekdays)."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), TODAY_REFERENCE)
    while True:
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        if day.weekday() < 5 or rng.random() < 0.05:
            return day


def _consultations(rng, year, count, persons, streets) -> list[Consultation]:
    rows = []
    for _ in range(count):
        topic = rng.choices(list(Topic), TOPIC_WEIGHTS)[0]
        person = persons.pop() if persons and rng.random() < 0.7 else None
        street_id = person[1] if person else rng.choice(streets)
        visitor = "" if person else rng.choice(["匿名", "匿名", "家属代为咨询", "监护人代为咨询"])
        rows.append(
            Consultation(
                consulted_on=_day_in(rng, year),
                street_id=street_id,
                person_id=person[0] if person else None,
                visitor_name=visitor,
                channel=rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0],
                topic=topic,
                summary=rng.choice(SUMMARIES[topic]),
                reply="已解答，告知相关法律规定及办理途径" if rng.random() < 0.9 else "",
                handled_by=rng.choice(HANDLERS),
            )
        )
    rows.sort(key=lambda c: (c.street_id, c.consulted_on))
    numbers: dict[int, int] = {}
    for row in rows:
        numbers[row.street_id] = numbers.get(row.street_id, 0) + 1
        row.number = f"{year}-{numbers[row.street_id]:04d}"
    return rows


def _cases(rng, year, count, persons) -> list[AidCase]:
    rows = []
    for _ in range(count):
        if not persons:
            break
        person = persons.pop()
        kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        opened = _day_in(rng, year)
        duration = (
            rng.randint(3, 40) if kind in (AidKind.DOCUMENT, AidKind.REFERRAL) else rng.randint(20, 200)
        )
        closed = opened + dt.timedelta(days=duration)
        if closed > TODAY_REFERENCE or rng.random() < 0.05:
            closed = None  # still open (some for more than 90 days)
        outcome = rng.choice(OUTCOMES[kind]) if closed else ""
        amount = None
        if closed and outcome in RECOVERING_OUTCOMES and rng.random() < 0.8:
            amount = Decimal(rng.randrange(2000, 120001, 100))
        rows.append(
            AidCase(
                person_id=person[0],
                street_id=person[1],
                kind=kind,
                subject=rng.choice(CASE_SUBJECTS[kind]),
                counsel=rng.choice(COUNSELS),
                opened_on=opened,
                closed_on=closed,
                outcome=outcome,
                amount_recovered=amount,
            )
        )
    return rows


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    streets = list(Street.objects.values_list("pk", flat=True))
    needed = sum(c + k for c, k in YEARS.values())
    persons = _sample_persons(rng, needed)
    if not persons or not streets:
        return {"法律咨询": 0, "法律救助案件": 0}
    consultations, cases = [], []
    for year, (consultation_count, case_count) in YEARS.items():
        cases += _cases(rng, year, case_count, persons)
        consultations += _consultations(rng, year, consultation_count, persons, streets)
    Consultation.objects.bulk_create(consultations, batch_size=batch_size)
    # one case per person, kind and day (the natural key): drawn persons are distinct
    AidCase.objects.bulk_create(cases, batch_size=batch_size)
    open_cases = sum(1 for case in cases if case.closed_on is None)
    return {"法律咨询": len(consultations), "法律救助案件": len(cases), "其中办理中": open_cases}
