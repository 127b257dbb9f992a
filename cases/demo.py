"""Demo 信访事项 for `manage.py generate_demo_data`: a year of petitions, hotline items and proposals up
to today, in every street, most closed on time with a reply, an outcome and a satisfaction answer,
some closed late, the recent ones still open, and a dozen open past their deadline (overdue).

Deadlines follow the seeded rules (cases/migrations/0002) through the same function the services use.
About two in three cases name a person of the register (of the case's street); the others come from a
relative or an organisation. Rows are bulk-inserted with their actions (by the demo staff account).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import (
    PROPOSAL_SOURCES,
    Case,
    CaseAction,
    CaseCategory,
    Outcome,
    Satisfaction,
    Source,
)
from cases.services import deadline_for, rules_by_source
from core.models import Street
from core.periods import today
from core.roles import Role
from registry.models import Person, PersonStatus

CASES_PER_YEAR = 640
OVERDUE_OPEN = 12
SOURCE_WEIGHTS = {
    Source.LETTER: 8,
    Source.VISIT: 14,
    Source.ONLINE: 10,
    Source.HOTLINE_12385: 18,
    Source.HOTLINE_12345: 36,
    Source.HOTLINE_96180: 8,
    Source.NPC_PROPOSAL: 2,
    Source.CPPCC_PROPOSAL: 2,
    Source.OTHER: 2,
}
SUBJECTS = {
    CaseCategory.SUBSIDY: [
        "咨询重度残疾人护理补贴申领条件",
        "反映困难残疾人生活补贴未按时发放",
        "询问两项补贴标准调整",
    ],
    CaseCategory.REHAB: ["申请残疾儿童康复救助", "咨询辅助器具适配流程", "反映康复机构服务质量问题"],
    CaseCategory.EMPLOYMENT: ["咨询按比例就业政策", "申请职业技能培训", "反映用人单位未签订劳动合同"],
    CaseCategory.ACCESSIBILITY: ["反映小区无障碍坡道被占用", "申请家庭无障碍改造", "反映公交站台盲道损坏"],
    CaseCategory.CARE: ["咨询残疾人之家日间照料", "申请寄宿托养", "反映托养机构收费问题"],
    CaseCategory.EDUCATION: ["申请送教上门", "咨询残疾学生教育补助", "反映随班就读支持不足"],
    CaseCategory.LEGAL: ["咨询遗产继承纠纷法律援助", "反映遭受家庭暴力", "申请法律救助"],
    CaseCategory.OTHER: ["咨询残疾人证办理", "建议增设残疾人专用停车位", "反映社区活动场所不足"],
}
CATEGORY_WEIGHTS = [20, 18, 10, 14, 8, 6, 8, 16]
PETITIONERS = [
    "家属（父亲）",
    "家属（母亲）",
    "家属（配偶）",
    "家属（子女）",
    "社区居委会",
    "爱心志愿者协会",
    "小区业主委员会",
]
ASSIGNEES = ["区残联维权科", "区残联康复科", "区残联就业服务所", "街道残联", "区残联教育就业科"]
ACTIONS = ["交办承办单位", "电话联系来件人了解情况", "上门走访核实", "协调相关部门", "召开协调会", "电话回访"]
REPLIES = {
    Outcome.RESOLVED: "经核实，已按政策为其办理，来件人表示认可。",
    Outcome.PARTLY: "已协调解决部分诉求，其余事项已向来件人说明相关政策。",
    Outcome.EXPLAINED: "已向来件人详细解释相关政策规定及办理流程。",
    Outcome.NOT_SUPPORTED: "经调查核实，诉求不符合政策规定，已向来件人说明理由。",
    Outcome.REFERRED: "该事项属其他部门职责，已转交相关部门办理并告知来件人。",
}
SATISFACTION_WEIGHTS = {
    Satisfaction.SATISFIED: 62,
    Satisfaction.FAIRLY: 22,
    Satisfaction.DISSATISFIED: 6,
    Satisfaction.UNRATED: 10,
}


def _staff():
    user, created = get_user_model().objects.get_or_create(username="demo_staff")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.DISTRICT_STAFF.label))
    return user


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    end = today()
    start = end - dt.timedelta(days=365)
    staff = _staff()
    rules = rules_by_source()
    streets = list(Street.objects.order_by("order"))
    persons_by_street = {
        s.pk: list(
            Person.objects.filter(street=s, status=PersonStatus.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        for s in streets
    }

    cases: list[Case] = []
    actions: list[tuple[int, dt.date, str]] = []
    days_span = (end - start).days
    for index in range(CASES_PER_YEAR):
        received = start + dt.timedelta(days=int(days_span * (index / CASES_PER_YEAR) + rng.random()))
        received = min(received, end)
        source = _weighted(rng, SOURCE_WEIGHTS)
        category = rng.choices(list(CaseCategory), CATEGORY_WEIGHTS)[0]
        street = rng.choice(streets)
        person_pool = persons_by_street.get(street.pk) or []
        person_id = rng.choice(person_pool) if person_pool and rng.random() < 0.66 else None
        if source in PROPOSAL_SOURCES:
            deadline = received + dt.timedelta(days=rng.choice([60, 90]))
            person_id = None
            petitioner = "区人大代表" if source == Source.NPC_PROPOSAL else "区政协委员"
        else:
            deadline = deadline_for(source=source, received_on=received, rules=rules)
            petitioner = "" if person_id else rng.choice(PETITIONERS)
        case = Case(
            source=source,
            received_on=received,
            person_id=person_id,
            petitioner=petitioner,
            phone=f"139{rng.randint(10000000, 99999999)}" if rng.random() < 0.8 else "",
            street=street,
            subject=rng.choice(SUBJECTS[category]),
            category=category,
            content="",
            deadline=deadline,
            deadline_from_rule=source not in PROPOSAL_SOURCES,
            assignee=rng.choice(ASSIGNEES),
        )
        total_days = max(1, (deadline - received).days)
        # most close within the deadline; some late; the recent ones stay open
        roll = rng.random()
        if roll < 0.86:
            closed = received + dt.timedelta(days=rng.randint(1, total_days))
        elif roll < 0.95:
            closed = deadline + dt.timedelta(days=rng.randint(1, 20))
        else:
            closed = None
        if closed is not None and closed > end:
            closed = None
        if closed is not None:
            outcome = rng.choices(list(Outcome), [50, 15, 25, 5, 5])[0]
            case.closed_on = closed
            case.replied_on = closed
            case.outcome = outcome
            case.reply = REPLIES[outcome]
            case.satisfaction = _weighted(rng, SATISFACTION_WEIGHTS)
        cases.append(case)
        last = closed or end
        for step in sorted(rng.sample(ACTIONS, rng.randint(1, 3)), key=ACTIONS.index):
            actions.append(
                (
                    index,
                    min(received + dt.timedelta(days=rng.randint(0, max(0, (last - received).days))), last),
                    step,
                )
            )

    # a dozen open past their deadline (overdue): received some weeks ago, not closed
    overdue_from = end - dt.timedelta(days=60)
    for case in rng.sample(
        [c for c in cases if overdue_from <= c.received_on <= end - dt.timedelta(days=30)], OVERDUE_OPEN
    ):
        case.closed_on = case.replied_on = None
        case.outcome = case.reply = ""
        case.satisfaction = Satisfaction.UNRATED

    created = Case.objects.bulk_create(cases, batch_size=batch_size)
    for case in created:
        case.number = f"{case.received_on:%Y}-{case.pk:06d}"
    Case.objects.bulk_update(created, ["number"], batch_size=batch_size)
    rows = []
    for index, done_on, note in actions:
        case = created[index]
        if case.closed_on is not None and done_on > case.closed_on:
            done_on = case.closed_on
        rows.append(CaseAction(case=case, done_on=done_on, note=note, by=staff))
    CaseAction.objects.bulk_create(rows, batch_size=batch_size)
    overdue = Case.objects.overdue_on(end).count()
    return {"信访事项": len(created), "办理记录": len(rows), "超期未办结": overdue}
