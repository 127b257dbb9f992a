"""Forms of 办证管理: they parse input; the rules are in the services and the models' clean()."""

from __future__ import annotations

from django import forms

from certificates.models import Application, ApplicationKind, Decision, KindReason
from core.forms import StyledFormMixin
from core.models import Community, Street
from core.periods import today
from registry.models import Category, Grade


class ApplicationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="申请人姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=30)
    kind = forms.ChoiceField(label="申请类型", choices=ApplicationKind.choices)
    reason = forms.ChoiceField(
        label="具体原因", choices=[("", "（新办、迁入不填）"), *KindReason.choices], required=False
    )
    street = forms.ModelChoiceField(label="所属街道", queryset=Street.objects.none())
    community = forms.ModelChoiceField(label="所属社区", queryset=Community.objects.none(), required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="居住地址", max_length=200, required=False)
    received_on = forms.DateField(label="受理日期", widget=forms.DateInput, initial=today)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Street.objects.for_user(user, action="change")
        self.fields["community"].queryset = Community.objects.for_user(user).select_related("street")


class AssessmentForm(StyledFormMixin, forms.Form):
    institution = forms.CharField(label="评定机构", max_length=100)
    assessed_on = forms.DateField(label="评定日期", widget=forms.DateInput)
    category = forms.CharField(
        label="残疾类别", widget=forms.Select(choices=[("", "---"), *Category.choices])
    )
    grade = forms.CharField(label="残疾等级", widget=forms.Select(choices=[("", "---"), *Grade.choices]))
    doctor = forms.CharField(label="评定医生", max_length=50)
    done_on = forms.DateField(label="办理日期", widget=forms.DateInput, initial=today)


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="意见/理由", max_length=500, required=False)
    done_on = forms.DateField(label="办理日期", widget=forms.DateInput, initial=today)


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=Decision.choices)
    reason = forms.CharField(label="不予办理理由（告知申请人）", max_length=500, required=False)
    done_on = forms.DateField(label="决定日期", widget=forms.DateInput, initial=today)
    end_records = forms.MultipleChoiceField(
        label="同时结束的在办记录（注销时）", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, running=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_records"].choices = [(r.key, f"{r.label}（{r.ends_as}）") for r in running]
        if not running:
            del self.fields["end_records"]


STEP_FORMS = {
    "assessment": AssessmentForm,
    "street_review": NoteForm,
    "appeal": NoteForm,
    "district_review": DecisionForm,
}

__all__ = ["STEP_FORMS", "Application", "ApplicationForm"]
