"""Forms of the register's pages: they parse input; the rules live in the models and services."""

from __future__ import annotations

from django import forms

from core.forms import StyledFormMixin
from core.idnumbers import normalize_id_number
from core.models import Community, Street
from core.periods import today
from core.roles import (
    OTHER_COMMUNITY_MESSAGE,
    OTHER_STREET_MESSAGE,
    community_of,
    is_community_worker,
    sees_all_streets,
    street_of,
)
from registry import services
from registry.models import SURVEY_ANSWER_FIELDS, Person, PersonStatus, Survey, mask_bank_account
from registry.selectors import duplicate_id


class CommunitySelect(forms.Select):
    """Each option names its street so that the form's script can offer only the chosen street's."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-street"] = instance.street_id
        return option


def validate_person_unique(form: forms.ModelForm) -> None:
    """A person form's uniqueness checks (the portal's page and the admin's), run after the model's
    clean(), so that the ID number itself stays valid for it: the ID number with the message of every
    door (registry.selectors.duplicate_id); the certificate number with the model's
    "该残疾人证号已登记". A duplicate ID number is the one fault to report, as the API's service
    reports it: the certificate number (derived from the ID number, or typed, when it must equal the
    derived one) is then not checked again. The ID number is the instance's, as the model's clean()
    normalised it (the admin's form keeps the typed text: a lower-case x, full-width digits)."""
    exclude = form._get_validation_exclusions() | {"id_number"}
    id_number = form.instance.id_number
    duplicate = None
    if id_number and "id_number" not in form.errors:
        duplicate = duplicate_id(id_number=id_number, user=form.user, exclude_pk=form.instance.pk)
    if duplicate is not None:
        exclude.add("certificate_number")
    try:
        form.instance.validate_unique(exclude=exclude)
    except forms.ValidationError as exc:
        form._update_errors(exc)
    if duplicate is not None:
        form.duplicate_person = duplicate.person
        form.add_error("id_number", forms.ValidationError(duplicate.message, code="duplicate_id_number"))


class PersonForm(StyledFormMixin, forms.ModelForm):
    # Wider than the model's 18 characters: spaces and full-width digits are accepted and normalized.
    id_number = forms.CharField(label="公民身份号码", max_length=40)
    certificate_number = forms.CharField(
        label="残疾人证号",
        max_length=40,
        required=False,
        help_text="20位：身份证号 + 残疾类别代码 + 残疾等级代码；留空则自动生成",
    )

    class Meta:
        model = Person
        fields = services.PERSON_EDITABLE_FIELDS
        widgets = {"issued_on": forms.DateInput(), "community": CommunitySelect()}
        help_texts = {"phone": "11位手机号，或座机 025-xxxxxxxx"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["street"].queryset = Street.objects.for_user(user, action="change")
        self.fields["community"].queryset = Community.objects.for_user(user).select_related("street")
        self.fields["community"].empty_label = "（未填写）"
        self._hide_bank_account()
        if not sees_all_streets(user):
            # A clerk's persons live in his street: shown, not editable.
            own = street_of(user)
            self.fields["street"].disabled = True
            self.fields["street"].initial = own
            self.fields["street"].empty_label = None  # his street alone, no blank choice
            if self.instance.pk is None:
                self.instance.street = own
            self.fields["street"].help_text = "街道经办人只能登记本街道人员"
        if is_community_worker(user):
            # A community worker's persons live in his community: shown, not editable.
            own_community = community_of(user)
            self.fields["street"].help_text = "社区专职委员只能登记本社区人员"
            self.fields["community"].disabled = True
            self.fields["community"].initial = own_community
            if self.instance.pk is None:
                self.instance.community = own_community

    def _hide_bank_account(self) -> None:
        """The account is shown masked only: the input starts empty, and left empty keeps it."""
        field = self.fields["bank_account"]
        field.help_text = "12至30位数字，可选"
        self.initial["bank_account"] = ""
        current = self.instance.bank_account if self.instance.pk else ""
        if current:
            field.widget.attrs["placeholder"] = f"{mask_bank_account(current)}（不修改请留空）"
            field.help_text = "12至30位数字；留空则保留原账号，填写“清除”可删除账号"

    def clean_bank_account(self) -> str:
        value = (self.cleaned_data.get("bank_account") or "").replace(" ", "")
        if value == "清除":
            return ""
        if not value and self.instance.pk:
            return self.instance.bank_account  # kept (the form never shows it)
        return value

    # Set when the ID number is registered already and the user may open that person (a link).
    duplicate_person = None

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data["id_number"])

    def validate_unique(self):
        validate_person_unique(self)

    def clean_certificate_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("certificate_number", ""))

    def clean(self):
        cleaned = super().clean()
        if self.fields["street"].disabled:
            posted = self.data.get(self.add_prefix("street"))
            own = street_of(self.user)
            if posted and own is not None and posted != str(own.pk):
                self.add_error("street", OTHER_STREET_MESSAGE)
        if self.fields["community"].disabled:
            posted = self.data.get(self.add_prefix("community"))
            own_community = community_of(self.user)
            if posted and own_community is not None and posted != str(own_community.pk):
                self.add_error("community", OTHER_COMMUNITY_MESSAGE)
        # Changing ID number, category or grade while keeping the old certificate number: derive it again.
        if (
            self.instance.pk
            and "certificate_number" not in self.changed_data
            and {"id_number", "category", "grade"} & set(self.changed_data)
        ):
            cleaned["certificate_number"] = ""
        return cleaned


class PersonStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="人员状态", choices=PersonStatus.choices)
    changed_on = forms.DateField(
        label="状态变更日期", required=False, widget=forms.DateInput(), help_text="恢复为“正常”时无需填写"
    )
    end_records = forms.MultipleChoiceField(
        label="同时结束以下在办事项",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="死亡、迁出、注销时默认全部结束：补贴在变更当月停发，托养、就业在变更日期结束",
    )

    def __init__(self, *args, running_records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.running_records = list(running_records)
        self.fields["end_records"].choices = [
            (record.key, f"{record.label}：{record.ends_as}") for record in self.running_records
        ]
        self.fields["end_records"].initial = [record.key for record in self.running_records]
        self.focus(None)  # a side form of the person's page

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status")
            and cleaned["status"] != PersonStatus.ACTIVE
            and not cleaned.get("changed_on")
        ):
            self.add_error("changed_on", "人员状态不是“正常”时必须填写状态变更日期")
        return cleaned


class SurveyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["year", *SURVEY_ANSWER_FIELDS]
        widgets = {"household_income": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["year"].help_text = "调查年度不可修改"
            self.focus("household_size")
        elif self.initial.get("year") is None:
            self.initial["year"] = today().year  # this year's survey is the usual one
        self.fields["household_size"].widget.attrs.update({"min": 1, "max": 20})
