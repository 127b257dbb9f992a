"""The subsidies' item on the 工作台 (registered by SubsidiesConfig): 应享未享."""

from __future__ import annotations

from core import workbench
from subsidies.selectors import persons_missing_entitlements


def register_items() -> None:
    workbench.register(
        key="missing_entitlements",
        title="应享未享",
        order=20,
        count=lambda user, year: persons_missing_entitlements(user).count(),
        url=workbench.link("subsidies:missing_list"),
        help_text="符合护理补贴或生活补贴条件、但目前没有在发放的人员",
        domain="subsidies",
    )
