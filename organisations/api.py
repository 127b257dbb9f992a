"""REST API of organisations, yearly reviews, volunteer teams and activities.

Scoped with for_user (by street; a review by its organisation's street), PersonDataPermission (the
app's records are read and written by the roles that record; community workers get 403, officials
read the figures page), writes through the services (ValidationError → 400 with the Chinese
messages). No deletes: organisations are 注销 and teams 解散 with a date. No person data: nothing
is access-logged.
"""

from __future__ import annotations

from rest_framework import serializers

from core.api import RecordMeta, ServiceWriteSerializer
from core.models import Street
from core.roles import sees_all_streets, street_of
from organisations import services
from organisations.filters import (
    ActivityFilter,
    OrganisationFilter,
    OrganisationReviewFilter,
    VolunteerTeamFilter,
)
from organisations.models import (
    ORGANISATION_STREET_REQUIRED,
    TEAM_STREET_REQUIRED,
    Activity,
    Organisation,
    OrganisationReview,
    VolunteerTeam,
)
from registry.api import RecordViewSet


def _user_streets(serializer):
    user = getattr(serializer.context.get("request"), "user", None)
    if sees_all_streets(user):
        return Street.objects.all()
    return Street.objects.filter(pk=getattr(street_of(user), "pk", None))


def _street_field(message: str) -> serializers.PrimaryKeyRelatedField:
    # The same message as the page's form and the import for a missing street.
    return serializers.PrimaryKeyRelatedField(
        queryset=Street.objects.none(),
        label="所属街道",
        error_messages={"required": message, "null": message},
    )


class OrganisationSerializer(ServiceWriteSerializer):
    street = _street_field(ORGANISATION_STREET_REQUIRED)
    street_name = serializers.CharField(source="street.name", read_only=True, label="街道名称")

    class Meta(RecordMeta):
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "street",
            "street_name",
            "registered_on",
            "contact_person",
            "contact_phone",
            "is_demonstration",
            "dissolved_on",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        fields["street"].queryset = _user_streets(self)
        return fields

    def create_record(self, acting_user, data):
        return services.organisation_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, organisation, data):
        return services.organisation_update(acting_user=acting_user, organisation=organisation, **data)


class VolunteerTeamSerializer(ServiceWriteSerializer):
    street = _street_field(TEAM_STREET_REQUIRED)
    street_name = serializers.CharField(source="street.name", read_only=True, label="街道名称")

    class Meta(RecordMeta):
        model = VolunteerTeam
        fields = [
            "id",
            "name",
            "street",
            "street_name",
            "members",
            "leader",
            "leader_phone",
            "founded_on",
            "dissolved_on",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        fields["street"].queryset = _user_streets(self)
        return fields

    def create_record(self, acting_user, data):
        return services.team_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, team, data):
        return services.team_update(acting_user=acting_user, team=team, **data)


class OrganisationReviewSerializer(ServiceWriteSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), label="助残社会组织"
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, label="组织名称")

    class Meta(RecordMeta):
        model = OrganisationReview
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "year",
            "result",
            "note",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["organisation"].queryset = Organisation.objects.for_user(user)
        if isinstance(self.instance, OrganisationReview):
            fields["organisation"].read_only = True  # a review stays with its organisation and year
            fields["year"].read_only = True
        return fields

    def create_record(self, acting_user, data):
        return services.review_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, review, data):
        return services.review_update(acting_user=acting_user, review=review, **data)


class ActivitySerializer(ServiceWriteSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), label="助残社会组织", required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerTeam.objects.none(), label="志愿者队伍", required=False, allow_null=True
    )
    street = serializers.CharField(source="street.name", read_only=True, label="街道")

    class Meta(RecordMeta):
        model = Activity
        fields = [
            "id",
            "organisation",
            "team",
            "street",
            "date",
            "title",
            "participants",
            "persons_served",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["organisation"].queryset = Organisation.objects.for_user(user)
        fields["team"].queryset = VolunteerTeam.objects.for_user(user)
        if isinstance(self.instance, Activity):
            fields["organisation"].read_only = True  # an activity stays with its owner
            fields["team"].read_only = True
        return fields

    def create_record(self, acting_user, data):
        return services.activity_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, activity, data):
        return services.activity_update(acting_user=acting_user, activity=activity, **data)


class OrganisationViewSet(RecordViewSet):
    """助残社会组织 (注销: set dissolved_on)."""

    model = Organisation
    access_log = False  # no person data
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "registered_on", "id"]

    def get_queryset(self):
        return (
            Organisation.objects.for_user(self.request.user)
            .select_related("street")
            .order_by("street__order", "name")
        )


class OrganisationReviewViewSet(RecordViewSet):
    """年度评估 of the user's organisations (one per organisation and year)."""

    model = OrganisationReview
    access_log = False
    serializer_class = OrganisationReviewSerializer
    filterset_class = OrganisationReviewFilter
    ordering_fields = ["year", "id"]

    def get_queryset(self):
        return (
            OrganisationReview.objects.for_user(self.request.user)
            .select_related("organisation")
            .order_by("-year", "id")
        )


class VolunteerTeamViewSet(RecordViewSet):
    """助残志愿者队伍 (解散: set dissolved_on)."""

    model = VolunteerTeam
    access_log = False
    serializer_class = VolunteerTeamSerializer
    filterset_class = VolunteerTeamFilter
    ordering_fields = ["name", "founded_on", "id"]

    def get_queryset(self):
        return (
            VolunteerTeam.objects.for_user(self.request.user)
            .select_related("street")
            .order_by("street__order", "name")
        )


class ActivityViewSet(RecordViewSet):
    """Activities of the user's organisations and teams (give `organisation` or `team`)."""

    model = Activity
    access_log = False
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["date", "id"]

    def get_queryset(self):
        return Activity.objects.for_user(self.request.user).select_related("street").order_by("-date", "-id")
