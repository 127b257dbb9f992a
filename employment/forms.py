"""Forms of the employment pages; the services validate again and save."""

from __future__ import annotations

from django import forms

from employment.interfaces import StyledFormMixin
from employment.models import Employment, Graduate, Training
from registry.periods import today


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


class EndDateForm(StyledFormMixin, forms.ModelForm):
    """结束: the last day (required, today by default); the model checks it is not before the start."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["end_date"]
        field.required = True
        field.help_text = "最后一天（当天仍计为有效）"
        if not self.is_bound and self.instance.end_date is None:
            self.initial["end_date"] = today()

    class Meta:
        model = Employment
        fields = ["end_date"]
        widgets = {"end_date": forms.DateInput()}


def end_form_class(model) -> type[EndDateForm]:
    """The end-date form for any record with start_date/end_date (employment, placements, projects)."""
    meta = type("Meta", (EndDateForm.Meta,), {"model": model})
    name = model._meta.model_name
    return type(f"{model.__name__}EndForm", (EndDateForm,), {"Meta": meta, "auto_id": f"id_{name}_end_%s"})
