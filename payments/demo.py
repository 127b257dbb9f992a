"""Demo payment rolls for `manage.py generate_demo_data` (runs after the subsidies' demo grants).

Example standards (note 示例), approved and paid rolls for every street and month of 2025, then a
few later corrections so that the draft roll of January 2026 shows what the monthly cycle is for:
failed payments of December come back as arrears, grants ended back-dated become recoveries, and
temporary aid without an amount and overlapping grants are held.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count

from payments import services
from payments.models import HeldItem, Recovery, Roll, RollLine, RollState, Standard
from payments.rules import add_months
from registry.demo_rows import analyze_table
from subsidies.models import Grant, GrantKind

DEMO_YEAR = 2025
DRAFT_MONTH = dt.date(DEMO_YEAR + 1, 1, 1)
STANDARDS = [
    (GrantKind.NURSING_ALLOWANCE, dt.date(2020, 1, 1), Decimal("120.00")),
    (GrantKind.NURSING_ALLOWANCE, dt.date(2024, 1, 1), Decimal("150.00")),
    (GrantKind.LIVING_ALLOWANCE, dt.date(2020, 1, 1), Decimal("180.00")),
    (GrantKind.LIVING_ALLOWANCE, dt.date(2024, 1, 1), Decimal("200.00")),
]
NO_AMOUNT_SHARE = 0.2  # temporary aid of 2025 recorded without an amount (held: 未核定金额)
FAILED_SHARE = 0.004  # December payments returned by the bank (arrears in January)
BACKDATED_SHARE = 0.003  # grants found in January to have ended in September (recoveries)


def _user(username: str):
    # create_portal_user gives these demo accounts their role and password afterwards
    return get_user_model().objects.get_or_create(username=username)[0]


def generate_demo(*, rng: random.Random, batch_size: int = 5000) -> dict[str, int]:
    for kind, month, amount in STANDARDS:
        Standard.objects.get_or_create(
            kind=kind, effective_month=month, defaults={"monthly_amount": amount, "note": "示例"}
        )
    aid = list(
        Grant.objects.filter(kind=GrantKind.TEMPORARY_AID, start_month__year=DEMO_YEAR).values_list(
            "pk", flat=True
        )
    )
    Grant.objects.filter(pk__in=[pk for pk in aid if rng.random() < NO_AMOUNT_SHARE]).update(
        monthly_amount=None
    )

    clerk, staff, admin = _user("demo_clerk"), _user("demo_staff"), _user("demo_admin")
    for index in range(12):
        month = dt.date(DEMO_YEAR, index + 1, 1)
        for roll in services.rolls_build_all(month=month, with_history=False):
            submitter, approver = (clerk, staff) if roll.street.name == "宁海路街道" else (staff, admin)
            Roll.objects.filter(pk=roll.pk).update(
                state=RollState.PAID,
                submitted_by=submitter,
                submitted_at=roll.built_at,
                approved_by=approver,
                approved_at=roll.built_at,
                exported_at=roll.built_at,
                exported_by=approver,
            )
            RollLine.objects.filter(roll=roll).update(locked=True, paid=True)

    december = RollLine.objects.filter(roll__month=dt.date(DEMO_YEAR, 12, 1))
    failed = [
        pk for pk in december.values_list("pk", flat=True).order_by("pk") if rng.random() < FAILED_SHARE
    ]
    RollLine.objects.filter(pk__in=failed).update(failed=True, paid=False, failed_reason="账户已销户（示例）")
    running = Grant.objects.filter(
        kind__in=[GrantKind.NURSING_ALLOWANCE, GrantKind.LIVING_ALLOWANCE],
        end_month__isnull=True,
        start_month__lt=dt.date(DEMO_YEAR, 9, 1),
    ).values_list("pk", flat=True)
    ended = [
        pk for pk in running.order_by("pk").iterator(chunk_size=batch_size) if rng.random() < BACKDATED_SHARE
    ]
    Grant.objects.filter(pk__in=ended).update(end_month=dt.date(DEMO_YEAR, 9, 1))

    services.rolls_build_all(month=DRAFT_MONTH)
    for model in (RollLine, HeldItem, Recovery):
        analyze_table(model)
    draft = RollLine.objects.filter(roll__month=DRAFT_MONTH).aggregate(n=Count("id"))["n"]
    return {
        "补贴标准（示例）": len(STANDARDS),
        f"{DEMO_YEAR}年已发放名册": Roll.objects.filter(month__year=DEMO_YEAR).count(),
        "名册明细": RollLine.objects.count(),
        f"{add_months(DRAFT_MONTH, 0):%Y-%m}草稿明细": draft,
        "暂停发放": HeldItem.objects.count(),
        "追回事项": Recovery.objects.filter(roll__month=DRAFT_MONTH).count(),
        "发放失败": len(failed),
    }
