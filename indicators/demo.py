"""Demo reference growth rates for K01, marked as examples (示例).

K01's target is the reference economic growth rate of each year, which district staff enter from
the statistics bureau's figures. So that the demo dashboard shows K01 with a target, the demo enters
example rates for the plan's years, flagged `is_example`: the dashboard and the targets page label
them 示例 until staff enter the real figure. Years already entered are never overwritten, and no
rate is invented for years after the plan (K01 then shows 未设参考增速).
"""

from __future__ import annotations

from decimal import Decimal

from .models import GrowthSeries, ReferenceGrowth

# Example figures in the range of a Chinese city's per-capita disposable income growth; not the
# bureau's published numbers.
EXAMPLE_RATES = {
    2020: Decimal("4.5"),
    2021: Decimal("8.0"),
    2022: Decimal("4.0"),
    2023: Decimal("5.0"),
    2024: Decimal("4.5"),
    2025: Decimal("4.5"),
}


def generate_example_growth() -> int:
    """Create the example rates for years without one; returns how many were created."""
    existing = set(ReferenceGrowth.objects.values_list("year", flat=True))
    rows = [
        ReferenceGrowth(year=year, series=GrowthSeries.DISPOSABLE_INCOME, rate=rate, is_example=True)
        for year, rate in EXAMPLE_RATES.items()
        if year not in existing
    ]
    ReferenceGrowth.objects.bulk_create(rows)
    return len(rows)
