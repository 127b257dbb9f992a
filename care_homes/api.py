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
from core.api import RecordMeta, ServiceWriteSerializer
from core.models import Street
from core.roles import sees_all_streets, street_of
from registry.api import PersonRecordSerializer, RecordViewSet


class CareHomeSerializer(ServiceWriteSerializer):
    street = serializers.PrimaryKeyRelatedField(queryset=Street.objects.none(), label="所属街道")
    street_name = serializers.CharField(source="street.name", read_only=True, label="街道名称")

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

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        if sees_all_streets(user):
            fields["street"].queryset = Street.objects.all()
        else:
            fields["street"].queryset = Street.objects.filter(pk=getattr(street_of(user), "pk", None))
        return fields

    def create_record(self, acting_user, data):
        return services.care_home_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, home, data):
        return services.care_home_update(acting_user=acting_user, home=home, **data)


class PlacementSerializer(PersonRecordSerializer):
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

    def create_record(self, acting_user, data):
        return services.placement_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, placement, data):
        return services.placement_update(acting_user=acting_user, placement=placement, **data)


class AuxProjectSerializer(ServiceWriteSerializer):
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

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["home"].queryset = CareHome.objects.for_user(user)
        if isinstance(self.instance, AuxProject):
            fields["home"].read_only = True  # a project stays at its home
        return fields

    def create_record(self, acting_user, data):
        return services.aux_project_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, project, data):
        return services.aux_project_update(acting_user=acting_user, project=project, **data)


class CareHomeViewSet(RecordViewSet):
    """托养机构 (close one by setting closed_on: what still runs there ends the day before)."""

    model = CareHome
    access_log = False  # a home is not person data
    serializer_class = CareHomeSerializer
    filterset_class = CareHomeFilter
    ordering_fields = ["name", "opened_on", "id"]

    def get_queryset(self):
        return CareHome.objects.for_user(self.request.user).select_related("street")


class PlacementViewSet(RecordViewSet):
    """托养服务 of the user's persons, in a home of any street (end one by setting end_date)."""

    model = Placement
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    ordering_fields = ["start_date", "end_date", "id"]

    def get_queryset(self):
        return super().get_queryset().select_related("home")


class AuxProjectViewSet(RecordViewSet):
    """辅助性就业项目 of the homes of the user's streets."""

    model = AuxProject
    access_log = False  # a project is not person data
    serializer_class = AuxProjectSerializer
    filterset_class = AuxProjectFilter
    ordering_fields = ["start_date", "end_date", "id"]

    def get_queryset(self):
        return AuxProject.objects.for_user(self.request.user).select_related("home", "home__street")
