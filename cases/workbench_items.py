"""The cases' items on the 工作台 (registered by CasesConfig): overdue and due-soon cases of
the user's scope, both from one query (cases.selectors.workbench_counts), linked to their lists."""

from __future__ import annotations

from cases import selectors
from core import workbench


def register_items() -> None:
    workbench.register(
        key="cases_overdue",
        title="信访事项超期未办结",
        order=45,
        count=lambda user, year: selectors.workbench_counts(user)["overdue"],
        url=workbench.link("cases:overdue_list"),
        help_text="已过办理期限仍未办结的信访和热线事项",
    )
    workbench.register(
        key="cases_due_soon",
        title="信访事项临期",
        order=46,
        count=lambda user, year: selectors.workbench_counts(user)["due_soon"],
        url=workbench.link("cases:due_soon_list"),
        help_text=f"{selectors.DUE_SOON_WORKING_DAYS}个工作日内到期、尚未办结的事项",
    )
