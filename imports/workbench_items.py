"""The imports' item on the 工作台 (registered by ImportsConfig): checked files waiting to be confirmed."""

from __future__ import annotations

from core import workbench
from imports.models import ImportJob


def register_items() -> None:
    workbench.register(
        key="imports_ready",
        title="待确认的导入",
        order=40,
        count=lambda user, year: (
            ImportJob.objects.for_user(user).filter(status=ImportJob.Status.READY).count()
        ),
        url=workbench.link("imports:index"),
        help_text="已通过检查、等待确认导入的Excel文件",
        domain="imports",
    )
