"""Forms of the organisation pages; the services validate again and save."""

from __future__ import annotations

from django import forms

from core.forms import StyledFormMixin
from core.models import Street
from core.roles import sees_all_streets, street_of
from organisations import services
from organisations.models import Activity, Organisation, OrganisationReview, VolunteerTeam


class _StreetScopedForm(StyledFormMixin, forms.ModelForm):
    """A clerk's records belong to his street: the street field offers it alone (and starts on it)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        street = self.fields["street"]
        street.queryset = Street.objects.for_user(user, action="change")
        street.error_messages["required"] = services.street_required_message(self._meta.model)
        if not sees_all_streets(user) and not self.instance.pk:
            self.initial.setdefault("street", getattr(street_of(user), "pk", None))


class OrganisationForm(_StreetScopedForm):
    class Meta:
        model = Organisation
        fields = services.ORGANISATION_FIELDS
        widgets = {"registered_on": forms.DateInput(), "dissolved_on": forms.DateInput()}
        help_texts = {
            "is_demonstration": "计入“全区培育2个示范性助残社会组织”",
            "dissolved_on": "仍在运作时留空",
        }


class VolunteerTeamForm(_StreetScopedForm):
    class Meta:
        model = VolunteerTeam
        fields = services.TEAM_FIELDS
        widgets = {"founded_on": forms.DateInput(), "dissolved_on": forms.DateInput()}
        help_texts = {"dissolved_on": "仍在开展活动时留空"}


class ActivityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["date", "title", "participants", "persons_served"]
        widgets = {"date": forms.DateInput()}


class ReviewForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationReview
        fields = ["year", "result", "note"]


class ReviewUpdateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationReview
        fields = ["result", "note"]
