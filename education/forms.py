"""Forms of 教育助学 and 送教上门: dates as 2025-03-01, money in 元."""

from __future__ import annotations

from django import forms

from core.forms import DatedTodayMixin, StyledFormMixin
from education.models import EducationAid, HomeTeachingVisit


class EducationAidForm(DatedTodayMixin, StyledFormMixin, forms.ModelForm):
    auto_id = "id_education_aid_%s"
    date_field = "aid_date"

    class Meta:
        model = EducationAid
        fields = ["stage", "school", "kind", "aid_date", "amount", "notes"]
        widgets = {
            "aid_date": forms.DateInput(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        help_texts = {"amount": "单位：元；送教上门可不填"}


class HomeTeachingVisitForm(DatedTodayMixin, StyledFormMixin, forms.ModelForm):
    auto_id = "id_education_visit_%s"
    date_field = "visit_date"

    class Meta:
        model = HomeTeachingVisit
        fields = ["visit_date", "teacher", "content"]
        widgets = {"visit_date": forms.DateInput()}
