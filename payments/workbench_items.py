"""The payment rolls' item on the 工作台 (registered by PaymentsConfig): the rolls waiting for the
user, a clerk's drafts to submit or the district's submitted rolls to review."""

from __future__ import annotations

from django.urls import reverse

from core import workbench
from payments import selectors


def _rolls_url(user, year: int) -> str:
    month = selectors.rolls_to_do(user).order_by("month").values_list("month", flat=True).first()
    url = reverse("payments:overview")
    return f"{url}?month={month:%Y-%m}" if month else url


def register_items() -> None:
    workbench.register(
        key="rolls",
        title="待处理的发放名册",
        order=50,
        count=lambda user, year: selectors.rolls_to_do(user).count(),
        url=_rolls_url,
        help_text="街道经办人：本月名册草稿待提交；区残联：已提交的名册待审核",
        domain="payments",
    )
