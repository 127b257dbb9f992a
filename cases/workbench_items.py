"""The cases' items on the 工作台 (registered by CasesConfig): overdue and due-soon cases of
the user's scope, both from one query (cases.selectors.workbench_counts), linked to their lists."""

from __future__ import annotations

from cases import selectors
from core import workbench

# (the count of workbench_counts, title, order, help text); the key is cases_<count>, the list
# cases:<count>_list
ITEMS = [
    ("overdue", "信访事项超期未办结", 45, "已过办理期限仍未办结的信访和热线事项"),
    ("due_soon", "信访事项临期", 46, f"{selectors.DUE_SOON_WORKING_DAYS}个工作日内到期、尚未办结的事项"),
]


def _count_of(which: str):
    return lambda user, year: selectors.workbench_counts(user)[which]


def register_items() -> None:
    for which, title, order, help_text in ITEMS:
        workbench.register(
            key=f"cases_{which}",
            title=title,
            order=order,
            count=_count_of(which),
            url=workbench.link(f"cases:{which}_list"),
            help_text=help_text,
        )
