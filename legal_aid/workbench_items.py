"""法律救助's item on the 工作台 (registered by LegalAidConfig): the aid cases open too long."""

from __future__ import annotations

from core import workbench
from legal_aid.selectors import long_open_cases


def register_items() -> None:
    workbench.register(
        key="legal_aid_long_open",
        title="法律救助案件超过90天未结",
        order=60,
        count=lambda user, year: long_open_cases(user=user).count(),
        url=workbench.link("legal_aid:case_list", "?state=long_open"),
        help_text="立案超过90天仍在办理的法律救助案件：请跟进承办律师或机构，办结后登记结案",
    )
