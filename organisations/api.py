"""REST API of organisations, yearly reviews, volunteer teams and activities.

Scoped with for_user (by street; a review by its organisation's street), PersonDataPermission (the
app's records are read and written by the roles that record; community workers get 403, officials
read the figures page), writes through the services (ValidationError → 400 with the Chinese
messages). No deletes: organisations are 注销 and teams 解散 with a date. No person data: nothing
is access-logged.
"""

from __future__ import annotations

from rest_framework import serializers

from core.api import RecordMeta, ScopedChoicesMixin, ServiceWriteSerializer, StreetRecordSerializer
from core.models import Street
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


def _street_field(message: str) -> serializers.PrimaryKeyRelatedField:
    # The same message as the page's form and the import for a missing street.
    return serializers.PrimaryKeyRelatedField(
        queryset=Street.objects.none(),
        label="所属街道",
        error_messages={"required": message, "null": message},
    )


class OrganisationSerializer(StreetRecordSerializer):
    record_services = services.ORGANISATION_SERVICES
    street = _street_field(ORGANISATION_STREET_REQUIRED)

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


class VolunteerTeamSerializer(StreetRecordSerializer):
    record_services = services.TEAM_SERVICES
    street = _street_field(TEAM_STREET_REQUIRED)

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


class OrganisationReviewSerializer(ScopedChoicesMixin, ServiceWriteSerializer):
    record_services = services.REVIEW_SERVICES
    scoped_choices = {"organisation": Organisation}
    kept_on_update = ("organisation", "year")  # a review stays with its organisation and year
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


class ActivitySerializer(ScopedChoicesMixin, ServiceWriteSerializer):
    record_services = services.ACTIVITY_SERVICES
    scoped_choices = {"organisation": Organisation, "team": VolunteerTeam}
    kept_on_update = ("organisation", "team")  # an activity stays with its owner
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


class _ViewSet(RecordViewSet):
    """The app's records of the user's scope, in the list's order (no person data: not access-logged)."""

    access_log = False
    related = ("street",)


class OrganisationViewSet(_ViewSet):
    """助残社会组织 (注销: set dissolved_on)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "registered_on", "id"]
    order_by = ("street__order", "name")


class OrganisationReviewViewSet(_ViewSet):
    """年度评估 of the user's organisations (one per organisation and year)."""

    serializer_class = OrganisationReviewSerializer
    filterset_class = OrganisationReviewFilter
    ordering_fields = ["year", "id"]
    related = ("organisation",)
    order_by = ("-year", "id")


class VolunteerTeamViewSet(_ViewSet):
    """助残志愿者队伍 (解散: set dissolved_on)."""

    serializer_class = VolunteerTeamSerializer
    filterset_class = VolunteerTeamFilter
    ordering_fields = ["name", "founded_on", "id"]
    order_by = ("street__order", "name")


class ActivityViewSet(_ViewSet):
    """Activities of the user's organisations and teams (give `organisation` or `team`)."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["date", "id"]
    order_by = ("-date", "-id")
