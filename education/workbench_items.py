"""教育助学's item on the 工作台 (registered by EducationConfig): the gap list's children."""

from __future__ import annotations

from core import workbench
from core.roles import sees_person_data
from education.selectors import gap_count


def register_items() -> None:
    workbench.register(
        key="education_gap",
        title="未入学且无送教上门",
        order=45,
        count=gap_count,
        url=workbench.link("education:gap_list", "?year={year}"),
        help_text="今年调查为未入学、今年尚无送教上门的6–15周岁残疾儿童少年",
        applies=sees_person_data,
    )
