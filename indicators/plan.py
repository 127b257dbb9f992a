"""The plan table "十四五时期残疾人事业发展主要指标": seed data for Indicator and Target.

Kept as plain data so that the data migration (with historical models) and a run on a freshly
flushed database (with the real ones) seed the same rows.
"""

from __future__ import annotations

from decimal import Decimal

PLAN_YEARS = tuple(range(2020, 2026))
BASE_YEAR = 2020
K02_PER_YEAR = 150

# code, plan wording, attribute, 2020 baseline, unit, standing target, target wording
PLAN = [
    ("K01", "残疾人家庭人均收入年均增速", "expected", "—", "%", None, "与经济增长同步：不低于当年参照增速"),
    ("K02", "残疾人职业技能培训人数", "expected", "—", "人", None, "2021—2025年累计750人（每年150人）"),
    ("K03", "符合条件的残疾人纳入最低生活保障比例", "binding", "100%", "%", 100, "100%"),
    ("K04", "困难残疾人生活补贴和重度残疾人护理补贴覆盖率", "binding", "100%", "%", 100, "100%"),
    ("K05", "残疾人托养服务人数", "expected", "—", "%", 100, "应托尽托：有需求者100%"),
    ("K06", "残疾人城乡居民基本养老保险和基本医疗保险参保率", "expected", "100%", "%", 100, "100%"),
    ("K07", "残疾儿童少年义务教育入学率", "binding", "100%", "%", 100, "100%"),
    ("K08", "残疾人基本康复服务覆盖率", "binding", "100%", "%", 100, "100%"),
    ("K09", "符合条件的残疾人辅助器具适配率", "binding", "100%", "%", 100, "100%"),
    ("K10", "有需求的低收入残疾人家庭无障碍改造覆盖率", "binding", "—", "%", 100, "100%"),
    ("K11", "每年高校应届残疾人毕业生就业率", "binding", "—", "%", 70, "每年不低于70%"),
    ("K12", '每个"残疾人之家"培育辅助性就业项目', "expected", "—", "%", 100, "每个残疾人之家1个：100%"),
]
CODES = [row[0] for row in PLAN]


def k02_target(year: int) -> int | None:
    """150 persons a year, cumulative from 2021; 2020 has no target."""
    return K02_PER_YEAR * (year - BASE_YEAR) if year > BASE_YEAR else None


def seeded_targets(code: str, standing: int | None) -> dict[int, Decimal]:
    if code == "K01":
        return {}
    if code == "K02":
        return {y: Decimal(k02_target(y)) for y in PLAN_YEARS if k02_target(y) is not None}
    return {y: Decimal(standing) for y in PLAN_YEARS}


def ensure_plan_data(indicator_model, target_model) -> None:
    """Idempotent: creates missing indicators with their 2020–2025 targets; never overwrites edits."""
    existing = set(indicator_model.objects.values_list("code", flat=True))
    for sort, (code, name, attribute, baseline, unit, standing, target_text) in enumerate(PLAN, start=1):
        if code in existing:
            continue
        indicator = indicator_model.objects.create(
            code=code,
            name=name,
            attribute=attribute,
            baseline=baseline,
            unit=unit,
            standing_target=standing,
            target_text=target_text,
            sort=sort,
        )
        target_model.objects.bulk_create(
            target_model(indicator=indicator, year=year, value=value)
            for year, value in seeded_targets(code, standing).items()
        )
