"""Forms of 康复服务: dates as 2025-03-01, money in 元."""

from __future__ import annotations

from django import forms

from core.forms import DatedTodayMixin, StyledFormMixin
from rehab.models import RehabService


class RehabServiceForm(DatedTodayMixin, StyledFormMixin, forms.ModelForm):
    date_field = "service_date"

    class Meta:
        model = RehabService
        fields = ["kind", "service_date", "provider", "device_name", "amount"]
        widgets = {
            "service_date": forms.DateInput(),
            "device_name": forms.TextInput(attrs={"list": "rehab-device-names", "autocomplete": "off"}),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        help_texts = {"device_name": "辅助器具适配时必填，如 轮椅、助听器"}
