"""Forms of 信访与维权: they parse input; the rules are in Case.clean() and the services."""

from __future__ import annotations

from django import forms

from cases.models import Case, CaseCategory, Outcome, Satisfaction, Source
from core.forms import StyledFormMixin
from core.idnumbers import normalize_id_number
from core.models import Street
from core.periods import today
from registry.models import Person

PERSON_NOT_FOUND = "本辖区登记中没有该公民身份号码的持证残疾人"


class CaseForm(StyledFormMixin, forms.Form):
    """受理 and 修改. The person is entered by ID number (a person of the user's scope)."""

    number = forms.CharField(
        label="编号", max_length=40, required=False, help_text="信访件编号或热线工单号；留空自动编号"
    )
    # no preselected answer: a clerk who skips them is asked, not filed under 来信 or 补贴
    source = forms.ChoiceField(label="来源", choices=[("", "请选择"), *Source.choices])
    received_on = forms.DateField(label="受理日期", widget=forms.DateInput, initial=today)
    person_id_number = forms.CharField(
        label="持证残疾人公民身份号码",
        max_length=30,
        required=False,
        help_text="本人或所涉持证残疾人；亲属或单位来件可不填",
    )
    petitioner = forms.CharField(
        label="来件人", max_length=100, required=False, help_text="亲属、单位或组织来件时填写"
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    street = forms.ModelChoiceField(label="所属街道", queryset=Street.objects.none())
    subject = forms.CharField(label="事由", max_length=200)
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *CaseCategory.choices])
    content = forms.CharField(label="诉求内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(
        label="办理期限",
        widget=forms.DateInput,
        required=False,
        help_text="留空则按来源的办理时限（工作日）计算；人大建议、政协提案必填",
    )
    assignee = forms.CharField(label="承办人（单位）", max_length=100, required=False)

    def __init__(self, *args, user, instance: Case | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "number": instance.number,
                "source": instance.source,
                "received_on": instance.received_on,
                "person_id_number": instance.person.id_number if instance.person_id else "",
                "petitioner": instance.petitioner,
                "phone": instance.phone,
                "street": instance.street_id,
                "subject": instance.subject,
                "category": instance.category,
                "content": instance.content,
                # a rule deadline is shown empty: it follows a changed source or day of receipt
                "deadline": None if instance.deadline_from_rule else instance.deadline,
                "assignee": instance.assignee,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        streets = Street.objects.for_user(user, action="change")
        self.fields["street"].queryset = streets
        if len(streets) == 1 and not self.initial.get("street"):
            self.initial["street"] = streets[0].pk

    def clean_person_id_number(self):
        text = normalize_id_number(self.cleaned_data.get("person_id_number") or "")
        if not text:
            self.cleaned_data["person"] = None
            return ""
        person = Person.objects.for_user(self.user).filter(id_number=text).first()
        if person is None:
            raise forms.ValidationError(PERSON_NOT_FOUND)
        self.cleaned_data["person"] = person
        return text

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("person_id_number", None)
        data.setdefault("person", None)
        return data


class CloseForm(StyledFormMixin, forms.Form):
    auto_id = "id_close_%s"

    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome = forms.ChoiceField(
        label="办理结果", choices=[("", "---------"), *Outcome.choices], required=False
    )
    closed_on = forms.DateField(label="办结日期", widget=forms.DateInput, initial=today)
    satisfaction = forms.ChoiceField(
        label="满意度", choices=Satisfaction.choices, initial=Satisfaction.UNRATED
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.focus(None)  # the close form sits below the case: no jump to it


class ActionForm(StyledFormMixin, forms.Form):
    auto_id = "id_action_%s"

    done_on = forms.DateField(label="办理日期", widget=forms.DateInput, initial=today)
    note = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.focus(None)


class SatisfactionForm(StyledFormMixin, forms.Form):
    """The satisfaction answer of a closed case (回访)."""

    auto_id = "id_satisfaction_%s"

    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.focus(None)  # the form sits below the case: no jump to it
