from __future__ import annotations

from django import forms

from campaigns.models import UnreachableReason
from core.forms import StyledFormMixin
from core.periods import today
from registry.forms import SurveyForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignOpenForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="调查年度", min_value=2015, max_value=2100)
    due_on = forms.DateField(label="截止日期", widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year


# One group of questions per screen of the phone form.
VISIT_STEPS = [
    ("基本情况", ["year", "visited_on", "household_size", "household_income", "household_key"]),
    (
        "生活保障",
        [
            "low_income_type",
            "dibao_eligible",
            "multi_disabled_household",
            "elderly_carer_household",
            "pension_insurance",
            "medical_insurance",
        ],
    ),
    ("就业与教育", ["employment_status", "wants_work", "wants_training", "education"]),
    ("服务需求", ["needs_rehab", "needs_device", "needs_care", "needs_barrier_free"]),
]


class VisitForm(SurveyForm):
    """The survey of a home visit: the registry's survey form plus the visit date; the year is shown
    filled in and checked against the campaign by the service."""

    visited_on = forms.DateField(label="调查日期", widget=DATE_INPUT)

    def __init__(self, *args, campaign_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.disabled = False
        year.initial = campaign_year
        year.help_text = f"本次为{campaign_year}年度调查"
        year.widget.attrs["readonly"] = True
        self.fields["visited_on"].initial = today()
        self.focus(None)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select | forms.TextInput | forms.NumberInput | forms.DateInput):
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} form-control-lg".strip()

    def _post_clean(self):
        # The service saves the survey (create or correct); the model form must not validate a new
        # instance against the year's existing survey.
        pass

    def steps(self, last_year: dict[str, str]):
        return [
            (title, [(self[name], last_year.get(name)) for name in names]) for title, names in VISIT_STEPS
        ]


class UnreachableForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="无法调查原因", choices=UnreachableReason.choices, widget=forms.RadioSelect
    )
    reason_text = forms.CharField(label="原因说明", max_length=200, required=False)
    visited_on = forms.DateField(label="日期", widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = today()
