"""Forms of 补贴与救助: months are typed as 2025-03 (or picked), money in 元."""

from __future__ import annotations

import json

from django import forms

from core.forms import MonthField, StyledFormMixin
from core.periods import first_of_month, today
from subsidies.models import Grant, GrantKind


class GrantForm(StyledFormMixin, forms.ModelForm):
    start_month = MonthField(label="开始月份")
    end_month = MonthField(label="结束月份", required=False, help_text="为空表示仍在发放")

    class Meta:
        model = Grant
        fields = ["kind", "start_month", "end_month", "monthly_amount"]
        widgets = {"monthly_amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}

    # The monthly subsidies: a new grant of these kinds needs its monthly amount.
    MONTHLY_KINDS = (GrantKind.LIVING_ALLOWANCE, GrantKind.NURSING_ALLOWANCE)

    def __init__(self, *args, standards: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("start_month", first_of_month(today()))
        if standards:
            # portal.js fills the amount with the standard in force when a monthly kind is chosen
            self.fields["monthly_amount"].widget.attrs["data-standards"] = json.dumps(standards)
            field = self.fields["monthly_amount"]
            field.help_text = f"{field.help_text}；按月发放的补贴自动填入现行标准：" + "，".join(
                f"{GrantKind(kind).label} {amount}元" for kind, amount in standards.items()
            )

    def clean(self):
        cleaned = super().clean()
        # A rule of this form only, for grants registered on the page: the Excel import and existing
        # records keep an empty 月标准 (the payment roll holds such grants as 未核定金额).
        if (
            not self.instance.pk
            and cleaned.get("kind") in self.MONTHLY_KINDS
            and cleaned.get("monthly_amount") is None
            and "monthly_amount" not in self.errors
        ):
            self.add_error("monthly_amount", "请填写月标准（元）：按月发放的补贴须核定金额")
        return cleaned


class GrantEndForm(StyledFormMixin, forms.Form):
    end_month = MonthField(label="停发月份（最后发放月份）")
