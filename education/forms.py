"""Forms of 教育助学 and 送教上门: dates as 2025-03-01, money in 元."""

from __future__ import annotations

from django import forms

from core.forms import StyledFormMixin
from core.periods import today
from education.models import EducationAid, HomeTeachingVisit


class EducationAidForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_education_aid_%s"

    class Meta:
        model = EducationAid
        fields = ["stage", "school", "kind", "aid_date", "amount", "notes"]
        widgets = {
            "aid_date": forms.DateInput(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        help_texts = {"amount": "单位：元；送教上门可不填"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("aid_date", today())


class HomeTeachingVisitForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_education_visit_%s"

    class Meta:
        model = HomeTeachingVisit
        fields = ["visit_date", "teacher", "content"]
        widgets = {"visit_date": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("visit_date", today())
