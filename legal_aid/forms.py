"""Forms of 法律救助: dates as 2025-03-01, money in 元. They parse input; the rules are in the
models' clean() and the services, which validate again."""

from __future__ import annotations

from django import forms

from core.forms import DatedTodayMixin, StyledFormMixin
from core.idnumbers import normalize_id_number
from core.models import Street
from core.periods import today
from core.roles import sees_all_streets
from legal_aid.models import AidCase, Consultation
from legal_aid.services import CASE_FIELDS, CONSULTATION_FIELDS
from registry.models import Person

PERSON_NOT_FOUND = "未找到该公民身份号码的持证残疾人（须为您所辖范围内已登记的人员）"


def person_by_id_number(user, text: str) -> Person | None:
    """A person of the user's scope by 公民身份号码; another street's is "not found" like a wrong number."""
    number = normalize_id_number(text or "")
    if not number:
        return None
    person = Person.objects.for_user(user).select_related("street").filter(id_number=number).first()
    if person is None:
        raise forms.ValidationError(PERSON_NOT_FOUND)
    return person


class ConsultationForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_consultation_%s"
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=30,
        required=False,
        help_text="咨询人是持证残疾人时填写；匿名或亲属代为咨询可不填",
    )

    class Meta:
        model = Consultation
        fields = [
            "consulted_on",
            "channel",
            "id_number",
            "visitor_name",
            "street",
            "topic",
            "summary",
            "reply",
            "handled_by",
            "number",
        ]
        widgets = {
            "consulted_on": forms.DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "reply": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if person is not None:  # from the person's page
            self.initial["id_number"] = person.id_number
        streets = Street.objects.for_user(user, action="change")
        field = self.fields["street"]
        field.queryset = streets
        field.required = False
        field.help_text = "填写了公民身份号码时可不选，自动取该人员所属街道"
        if not self.instance.pk:
            self.initial.setdefault("consulted_on", today())
            if not sees_all_streets(user):
                self.initial.setdefault("street", getattr(streets.first(), "pk", None))
        elif self.instance.person_id:
            self.initial.setdefault("id_number", self.instance.person.id_number)

    def clean_id_number(self):
        person = person_by_id_number(self.user, self.cleaned_data.get("id_number", ""))
        self.cleaned_data["person"] = person
        # the model's clean() (run after this form's clean) sees the person and his street
        self.instance.person = person
        return self.cleaned_data["id_number"]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in CONSULTATION_FIELDS}


class AidCaseForm(DatedTodayMixin, StyledFormMixin, forms.ModelForm):
    """A new case names its person by 公民身份号码; a case keeps its person once recorded."""

    auto_id = "id_aidcase_%s"
    date_field = "opened_on"
    id_number = forms.CharField(label="公民身份号码", max_length=30)

    class Meta:
        model = AidCase
        fields = ["id_number", *CASE_FIELDS]
        widgets = {
            "opened_on": forms.DateInput(),
            "closed_on": forms.DateInput(),
            "amount_recovered": forms.NumberInput(attrs={"step": "0.01"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "closed_on": "办理中留空；结案时填写并选择办理结果",
            "outcome": "结案时必填",
        }

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if person is not None:  # from the person's page
            self.initial["id_number"] = person.id_number
        if self.instance.pk:
            del self.fields["id_number"]
            self.focus("kind")

    def clean_id_number(self):
        person = person_by_id_number(self.user, self.cleaned_data.get("id_number", ""))
        if person is None:
            raise forms.ValidationError("请填写公民身份号码")
        self.cleaned_data["person"] = person
        self.instance.person = person
        return self.cleaned_data["id_number"]

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in CASE_FIELDS}
        if not self.instance.pk:
            values["person"] = data["person"]
        return values
