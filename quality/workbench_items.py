"""Data quality's items on the 工作台 (registered by QualityConfig): 停发提醒 and persons
without this year's survey, counted by the rules of quality/selectors.py and linked to the page.
"""

from __future__ import annotations

from core import workbench
from quality import selectors


def _stopped_count(user, year: int) -> int:
    return selectors.grants_after_exit(user).count() + selectors.placements_after_exit(user).count()


def _without_survey_count(user, year: int) -> int:
    return selectors.persons_without_survey(user, year).order_by().count()


def register_items() -> None:
    workbench.register(
        key="stopped",
        title="停发提醒",
        order=10,
        count=_stopped_count,
        url=workbench.link("quality:data_quality", "#grants_after_exit"),
        help_text="人员已死亡、注销或迁出，补贴或托养服务仍在进行",
        domain="subsidies",  # grants and placements are closed to community workers
    )
    workbench.register(
        key="without_survey",
        title="缺少本年度需求调查",
        order=30,
        count=_without_survey_count,
        url=workbench.link("quality:data_quality", "?year={year}#persons_without_survey"),
        help_text="在册（状态正常）人员尚无所选年度的需求调查",
    )
