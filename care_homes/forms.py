"""Forms of the care-home pages; the services validate again and save."""

from __future__ import annotations

from django import forms

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.selectors import placement_home_choices
from core.forms import StyledFormMixin, end_form_class
from core.models import Street
from core.periods import today
from core.roles import sees_all_streets, street_of


class HomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, home: CareHome) -> str:
        closed = "，已停用" if home.closed_on and home.closed_on <= today() else ""
        return f"{home.name}（{home.street.short_name}{closed}）"


class CareHomeForm(StyledFormMixin, forms.ModelForm):
    """A clerk's homes belong to his street: the street field offers it alone."""

    class Meta:
        model = CareHome
        fields = ["name", "level", "street", "is_disabled_home", "rating", "opened_on"]
        widgets = {"opened_on": forms.DateInput()}
        help_texts = {"is_disabled_home": "计入“每个残疾人之家培育辅助性就业项目”指标"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Street.objects.for_user(user, action="change")
        if not sees_all_streets(user) and not self.instance.pk:
            self.initial.setdefault("street", getattr(street_of(user), "pk", None))


class CareHomeCloseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CareHome
        fields = ["closed_on"]
        widgets = {"closed_on": forms.DateInput()}
        help_texts = {"closed_on": "自该日起停止运营；仍在进行的托养服务和辅助性就业项目将于前一天结束"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].required = True
        if not self.is_bound:
            self.initial["closed_on"] = today()


class PlacementRecordForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_placement_%s"
    home = HomeChoiceField(label="托养机构", queryset=placement_home_choices())

    class Meta:
        model = Placement
        fields = ["home", "mode", "start_date", "end_date"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}
        help_texts = {"end_date": "仍在托养时留空"}


class AuxProjectForm(StyledFormMixin, forms.ModelForm):
    auto_id = "id_project_%s"

    class Meta:
        model = AuxProject
        fields = ["name", "start_date", "end_date", "participants"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}
        help_texts = {"end_date": "仍在开展时留空"}


PlacementEndForm = end_form_class(Placement)
AuxProjectEndForm = end_form_class(AuxProject)
