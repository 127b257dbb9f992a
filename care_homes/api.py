"""REST API of the care-home domain: homes, placements, projects.

Scoped with for_user (a home by its street, a placement by its person's street, a project by its
home's street), PersonDataPermission, writes through the services (ValidationError → 400 with the
Chinese messages). No deletes: homes close, placements and projects end with a date.
"""

from __future__ import annotations

from rest_framework import serializers

from care_homes import services
from care_homes.filters import AuxProjectFilter, CareHomeFilter, PlacementFilter
from care_homes.models import AuxProject, CareHome, Placement
from care_homes.selectors import placement_home_choices
from core.api import RecordMeta, ScopedChoicesMixin, ServiceWriteSerializer, StreetRecordSerializer
from registry.api import PersonRecordSerializer, RecordViewSet


class CareHomeSerializer(StreetRecordSerializer):
    record_services = services.CARE_HOME_SERVICES

    class Meta(RecordMeta):
        model = CareHome
        fields = [
            "id",
            "name",
            "level",
            "street",
            "street_name",
            "is_disabled_home",
            "rating",
            "opened_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]


class PlacementSerializer(PersonRecordSerializer):
    record_services = services.PLACEMENT_SERVICES
    home = serializers.PrimaryKeyRelatedField(queryset=placement_home_choices(), label="托养机构")
    home_name = serializers.CharField(source="home.name", read_only=True, label="机构名称")

    class Meta(RecordMeta):
        model = Placement
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "home",
            "home_name",
            "mode",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
        ]


class AuxProjectSerializer(ScopedChoicesMixin, ServiceWriteSerializer):
    record_services = services.AUX_PROJECT_SERVICES
    scoped_choices = {"home": CareHome}
    kept_on_update = ("home",)  # a project stays at its home
    home = serializers.PrimaryKeyRelatedField(queryset=CareHome.objects.none(), label="托养机构")
    home_name = serializers.CharField(source="home.name", read_only=True, label="机构名称")
    street = serializers.CharField(source="home.street.name", read_only=True, label="街道")

    class Meta(RecordMeta):
        model = AuxProject
        fields = [
            "id",
            "home",
            "home_name",
            "street",
            "name",
            "start_date",
            "end_date",
            "participants",
            "created_at",
            "updated_at",
        ]


class CareHomeViewSet(RecordViewSet):
    """托养机构 (close one by setting closed_on: what still runs there ends the day before)."""

    access_log = False  # a home is not person data
    serializer_class = CareHomeSerializer
    filterset_class = CareHomeFilter
    ordering_fields = ["name", "opened_on", "id"]
    related = ("street",)


class PlacementViewSet(RecordViewSet):
    """托养服务 of the user's persons, in a home of any street (end one by setting end_date)."""

    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    ordering_fields = ["start_date", "end_date", "id"]
    related = (*RecordViewSet.related, "home")


class AuxProjectViewSet(RecordViewSet):
    """辅助性就业项目 of the homes of the user's streets."""

    access_log = False  # a project is not person data
    serializer_class = AuxProjectSerializer
    filterset_class = AuxProjectFilter
    ordering_fields = ["start_date", "end_date", "id"]
    related = ("home", "home__street")
