"""Demo 助残社会组织, 志愿者队伍, their activities and yearly reviews (`manage.py generate_demo_data`).

A believable district: each street has one or two organisations (a 残疾人之友协会 or a 助残服务中心)
and one to three volunteer teams, plus the district's 专门协会 (肢残人、盲人、聋人、智残人及亲友、
精神残疾人及亲友协会) seated in 宁海路街道. Organisations and teams hold activities through the previous
and the current year (up to registry.demo.TODAY_REFERENCE); organisations registered before last
year have last year's review. Two organisations are 示范性.

The plan check is green in most streets and red in two: 建宁路街道 has no volunteer team, and
挹江门街道's only organisation held no activity this year (its team did). Rows are written in bulk
without history rows, as the other demo steps do.
"""

from __future__ import annotations

import datetime as dt
import random

from core.models import Street
from organisations.models import (
    Activity,
    Organisation,
    OrganisationKind,
    OrganisationReview,
    ReviewResult,
    VolunteerTeam,
)
from registry.demo import TODAY_REFERENCE

NO_TEAM_STREET = "建宁路街道"
IDLE_ORGANISATION_STREET = "挹江门街道"
DEMONSTRATION = ("鼓楼区启明助残服务中心", "宁海路街道阳光助残服务中心")
ASSOCIATIONS = [
    "鼓楼区肢残人协会",
    "鼓楼区盲人协会",
    "鼓楼区聋人协会",
    "鼓楼区智残人及亲友协会",
    "鼓楼区精神残疾人及亲友协会",
]
ORGANISATION_NAMES = [
    ("{street}阳光助残服务中心", OrganisationKind.PRIVATE_NON_ENTERPRISE),
    ("{street}残疾人之友协会", OrganisationKind.SOCIAL),
    ("{street}心语康复互助社", OrganisationKind.SOCIAL),
]
TEAM_NAMES = ["{street}助残志愿服务队", "{street}青年志愿者助残分队", "{street}巾帼助残志愿队"]
TITLES = [
    "全国助残日主题活动",
    "国际残疾人日走访慰问",
    "康复知识进社区讲座",
    "无障碍环境体验活动",
    "残疾人就业技能培训",
    "残健融合文体联谊会",
    "上门探访重度残疾人家庭",
    "助盲读书会",
    "手工技能课堂",
    "健康义诊与辅具咨询",
    "心理疏导与家长沙龙",
    "助残出行陪伴服务",
]
LEADERS = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "赵敏", "黄强", "周丽", "吴刚", "徐婷", "孙浩"]
RESULTS = [
    ReviewResult.EXCELLENT,
    ReviewResult.QUALIFIED,
    ReviewResult.BASICALLY_QUALIFIED,
    ReviewResult.UNQUALIFIED,
]
RESULT_WEIGHTS = [3, 10, 2, 1]


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"


def generate_demo(*, rng: random.Random, batch_size: int = 2000) -> dict[str, int]:
    today = TODAY_REFERENCE
    this_year, last_year = today.year, today.year - 1
    streets = list(Street.objects.order_by("order"))
    organisations: list[Organisation] = []
    teams: list[VolunteerTeam] = []
    idle: set[str] = set()  # owners without an activity this year

    organisations.append(
        Organisation(
            name=DEMONSTRATION[0],
            kind=OrganisationKind.PRIVATE_NON_ENTERPRISE,
            street=streets[0],
            registered_on=dt.date(2016, 9, 12),
            contact_person=rng.choice(LEADERS),
            contact_phone=_phone(rng),
            is_demonstration=True,
        )
    )
    for name in ASSOCIATIONS:
        organisations.append(
            Organisation(
                name=name,
                kind=OrganisationKind.ASSOCIATION,
                street=streets[0],
                registered_on=dt.date(rng.randint(2008, 2014), rng.randint(1, 12), rng.randint(1, 28)),
                contact_person=rng.choice(LEADERS),
                contact_phone=_phone(rng),
            )
        )
    for street in streets:
        short = street.name
        count = 1 if street.name == IDLE_ORGANISATION_STREET else rng.choice([1, 1, 2])
        for template, kind in ORGANISATION_NAMES[:count]:
            name = template.format(street=short)
            organisations.append(
                Organisation(
                    name=name,
                    kind=kind,
                    street=street,
                    registered_on=dt.date(rng.randint(2015, 2023), rng.randint(1, 12), rng.randint(1, 28)),
                    contact_person=rng.choice(LEADERS),
                    contact_phone=_phone(rng),
                    is_demonstration=name in DEMONSTRATION,
                )
            )
            if street.name == IDLE_ORGANISATION_STREET:
                idle.add(name)
        if street.name == NO_TEAM_STREET:
            continue
        for template in TEAM_NAMES[: rng.choice([1, 2, 2, 3])]:
            teams.append(
                VolunteerTeam(
                    name=template.format(street=short),
                    street=street,
                    members=rng.randint(12, 80),
                    leader=rng.choice(LEADERS),
                    leader_phone=_phone(rng),
                    founded_on=dt.date(rng.randint(2012, 2023), rng.randint(1, 12), rng.randint(1, 28)),
                )
            )
    # one team dissolved last year (history, not counted this year)
    teams.append(
        VolunteerTeam(
            name="鼓楼区大学生助残志愿联盟",
            street=streets[1],
            members=35,
            leader=rng.choice(LEADERS),
            founded_on=dt.date(2017, 3, 5),
            dissolved_on=dt.date(last_year, 6, 30),
        )
    )
    Organisation.objects.bulk_create(organisations, batch_size=batch_size)
    VolunteerTeam.objects.bulk_create(teams, batch_size=batch_size)

    activities: list[Activity] = []
    owners = [("organisation", o) for o in organisations] + [("team", t) for t in teams]
    for field, owner in owners:
        start = owner.registered_on if field == "organisation" else owner.founded_on
        for year in (last_year, this_year):
            if year == this_year and owner.name in idle:
                continue
            first = max(dt.date(year, 1, 1), start)
            last = min(dt.date(year, 12, 31), today, owner.dissolved_on or today)
            if first > last:
                continue
            for _ in range(rng.randint(4, 12)):
                participants = rng.randint(8, 60)
                activities.append(
                    Activity(
                        **{field: owner},
                        street_id=owner.street_id,
                        date=_day(rng, first, last),
                        title=rng.choice(TITLES),
                        participants=participants,
                        persons_served=rng.randint(participants // 2, participants * 2),
                    )
                )
    Activity.objects.bulk_create(activities, batch_size=batch_size)

    reviews = [
        OrganisationReview(
            organisation=organisation,
            year=last_year,
            result=ReviewResult.EXCELLENT
            if organisation.is_demonstration
            else rng.choices(RESULTS, weights=RESULT_WEIGHTS)[0],
        )
        for organisation in organisations
        if organisation.registered_on.year < last_year
    ]
    OrganisationReview.objects.bulk_create(reviews, batch_size=batch_size)
    return {
        "助残社会组织": len(organisations),
        "志愿者队伍": len(teams),
        "助残活动": len(activities),
        "年度评估": len(reviews),
    }
