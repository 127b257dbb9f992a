"""The targets grid: one field per indicator and year, and K01's reference growth per year."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.forms import ShownFieldErrorsMixin

from .models import GrowthSeries, Indicator, ReferenceGrowth
from .services import reference_growth_set, target_set


class TargetGridForm(ShownFieldErrorsMixin, forms.Form):
    def __init__(
        self, *args, indicators: list[Indicator], years: list[int], existing: dict, growth: dict, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.years = years
        self.existing = existing
        self.growth: dict[int, ReferenceGrowth] = growth
        for indicator in indicators:
            for year in years:
                self.fields[f"t_{indicator.code}_{year}"] = forms.DecimalField(
                    label=f"{indicator.code} {year}年",
                    required=False,
                    min_value=0,
                    max_digits=9,
                    decimal_places=2,
                    initial=existing.get((indicator.pk, year)),
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
                )
        for year in years:
            current = growth.get(year)
            self.fields[f"g_series_{year}"] = forms.ChoiceField(
                label=f"{year}年参照指标",
                choices=GrowthSeries.choices,
                initial=current.series if current else GrowthSeries.GDP,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"g_rate_{year}"] = forms.DecimalField(
                label=f"{year}年参照增速（%）",
                required=False,
                min_value=-100,
                max_value=100,
                max_digits=6,
                decimal_places=2,
                initial=current.rate if current else None,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.1"}),
            )

    def save(self, *, acting_user) -> int:
        """Apply what changed through the services; returns the number of changed entries."""
        changed = 0
        for indicator in self.indicators:
            for year in self.years:
                new: Decimal | None = self.cleaned_data[f"t_{indicator.code}_{year}"]
                old = self.existing.get((indicator.pk, year))
                if new != old:
                    target_set(acting_user=acting_user, indicator=indicator, year=year, value=new)
                    changed += 1
        for year in self.years:
            rate = self.cleaned_data[f"g_rate_{year}"]
            series = self.cleaned_data[f"g_series_{year}"]
            current = self.growth.get(year)
            before = (current.series, current.rate) if current else (None, None)
            after = (series, rate) if rate is not None else (None, None)
            if before != after:
                reference_growth_set(acting_user=acting_user, year=year, series=series, rate=rate)
                changed += 1
        return changed
