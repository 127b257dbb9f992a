"""Forms of the employment pages; the services validate again and save."""

from __future__ import annotations

from django import forms

from core.forms import StyledFormMixin
from employment.models import Employment, Graduate, Training


class TrainingRecordForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_training_%s"

    class Meta:
        model = Training
        fields = ["name", "kind", "start_date", "end_date", "completed"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}


class EmploymentRecordForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_employment_%s"

    class Meta:
        model = Employment
        fields = ["form", "employer", "start_date", "end_date"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}
        help_texts = {"end_date": "仍在职时留空"}


class GraduateRecordForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_graduate_%s"

    class Meta:
        model = Graduate
        fields = ["graduation_year", "school", "degree"]
