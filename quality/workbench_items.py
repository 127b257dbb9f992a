"""The registry's own items on the 工作台: 停发提醒 and persons without this year's survey.

停发提醒 counts the data-quality rules of registry/quality.py (the cross-domain checks that page
already owns); the other domains register their items in their own AppConfig.ready().
"""

from __future__ import annotations

from django.urls import reverse

from core import workbench
from core.roles import may_use_domain


def _stopped_count(user, year: int) -> int:
    from quality import selectors as quality

    return quality.grants_after_exit(user).count() + quality.placements_after_exit(user).count()


def _stopped_url(user, year: int) -> str:
    return reverse("quality:data_quality") + "#grants_after_exit"


def _without_survey_count(user, year: int) -> int:
    from quality import selectors as quality

    return quality.persons_without_survey(user, year).order_by().count()


def _without_survey_url(user, year: int) -> str:
    return f"{reverse('quality:data_quality')}?year={year}#persons_without_survey"


def register_items() -> None:
    workbench.register(
        workbench.WorkbenchItem(
            key="stopped",
            title="停发提醒",
            order=10,
            count=_stopped_count,
            url=_stopped_url,
            help_text="人员已死亡、注销或迁出，补贴或托养服务仍在进行",
            # grants and placements are closed to community workers
            applies=lambda user: may_use_domain(user, "subsidies"),
        )
    )
    workbench.register(
        workbench.WorkbenchItem(
            key="without_survey",
            title="缺少本年度需求调查",
            order=30,
            count=_without_survey_count,
            url=_without_survey_url,
            help_text="在册（状态正常）人员尚无所选年度的需求调查",
        )
    )
