"""Form bases of every portal form and of the admin: errors shown where the user can see them,
Bootstrap styling, native date pickers, and the end-date form of records that run for a while."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError

from core.constraints import bound_messages
from core.periods import first_of_month, today


class ShownFieldErrorsMixin:
    """Errors on fields the form does not show are shown above the form.

    A model's clean() and the services name the fields they check, whether or not a form shows
    them (a closed home's 停用日期 on the home's edit form, a deceased person's 状态变更日期 on the
    person's form). Django's add_error raises ValueError for such a field (an HTTP 500); here the
    message becomes a non-field error. Every form of the portal and of the admin has this mixin
    (tests/test_hostile_forms.py checks it).
    """

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            if field is None:
                error = ValidationError(errors_on_shown_fields(self, error.error_dict))
        elif field is not None and field not in self.fields:
            field = None
        super().add_error(field, error)


def errors_on_shown_fields(form: forms.BaseForm, error_dict: dict) -> dict:
    """The same errors, with those of fields the form does not show moved to the non-field errors."""
    shown: dict[str, list] = {}
    for name, errors in error_dict.items():
        key = name if name in form.fields else NON_FIELD_ERRORS
        shown.setdefault(key, []).extend(errors)
    return shown


class PortalModelForm(ShownFieldErrorsMixin, forms.ModelForm):
    """The base form of the admin's model pages (the portal's own forms mix the mixin in)."""


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        exc = ValidationError(errors_on_shown_fields(form, exc.error_dict))
    form.add_error(None, exc)


def run_service(form: forms.BaseForm, action: Callable[[], Any]) -> Any | None:
    """Call the service; on ValidationError put its messages on the form and return None."""
    try:
        return action()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # CheckboxSelectMultiple too
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StyledFormMixin(ShownFieldErrorsMixin):
    """The one styling of every portal form: Bootstrap classes, native date pickers, `is-invalid`
    on fields with errors, and the cursor in the first field a user may change.

    Forms of the person sections share the person's page with the other domains' forms: each
    form class names its own element ids (`auto_id`) so that no two inputs share one.
    """

    auto_id = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = bootstrap_class(widget)
            if css not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput) and widget.input_type == "text":
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
        self.focus(next((name for name, field in self.fields.items() if not field.disabled), None))
        self._use_model_bound_messages()

    def _use_model_bound_messages(self) -> None:
        """A model field's MinValueValidator / MaxValueValidator given a message of its own (队员人数不能为负数)
        speaks for the form field's min_value / max_value too (a PositiveIntegerField's form field refuses
        a negative number first, with the stock 不能小于0), so the form says what the API says
        (core.api.ServiceWriteSerializer.build_standard_field) and the import."""
        model = getattr(getattr(self, "_meta", None), "model", None)
        if model is None:
            return
        for name, field in self.fields.items():
            try:
                field.error_messages.update(bound_messages(model._meta.get_field(name)))
            except FieldDoesNotExist:
                continue

    def focus(self, name: str | None) -> None:
        """The cursor goes to this field (None: to no field)."""
        for field_name, field in self.fields.items():
            if field_name == name:
                field.widget.attrs["autofocus"] = True
            else:
                field.widget.attrs.pop("autofocus", None)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", "").split():
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class DatedTodayMixin:
    """A model form whose new record is dated today unless the user says otherwise (`date_field`)."""

    date_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault(self.date_field, today())


class EndDateForm(StyledFormMixin, forms.ModelForm):
    """结束: the last day (required, today by default); the model checks it is not before the start.

    Made for a model by `end_form_class`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["end_date"]
        field.required = True
        field.help_text = "最后一天（当天仍计为有效）"
        if not self.is_bound and self.instance.end_date is None:
            self.initial["end_date"] = today()

    class Meta:
        fields = ["end_date"]
        widgets = {"end_date": forms.DateInput()}


def end_form_class(model) -> type[EndDateForm]:
    """The end-date form for any record with start_date/end_date (employment, placements, projects)."""
    meta = type("Meta", (EndDateForm.Meta,), {"model": model})
    name = model._meta.model_name
    return type(f"{model.__name__}EndForm", (EndDateForm,), {"Meta": meta, "auto_id": f"id_{name}_end_%s"})


# A month as clerks type it; stored as its first day.
MONTH_INPUT_FORMATS = ["%Y-%m", "%Y/%m", "%Y年%m月", "%Y.%m", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, stored as its first day. Accepts 2025-03, 2025/3, 2025年3月 and a full date (or the
    `input_formats` given)."""

    widget = MonthInput
    input_formats = MONTH_INPUT_FORMATS
    # (Django's own "Enter a valid date." reads 日期格式错误，应为 2023-05-06: a day, not a month)
    default_error_messages = {"invalid": "请输入月份，例如 2025-03"}

    def to_python(self, value):
        date = super().to_python(value)
        return first_of_month(date) if date else date
