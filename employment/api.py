"""REST API of the employment domain: trainings, employments, graduates.

Scoped with for_user, person data only for roles that see it (PersonDataPermission), writes through
the services (their ValidationError answers 400 with the Chinese messages). No deletes: an
employment ends with an end date.
"""

from __future__ import annotations

from rest_framework import serializers

from core.api import RecordMeta
from employment import services
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.models import Employment, Graduate, Training
from registry.api import PersonRecordSerializer, RecordViewSet


class TrainingSerializer(PersonRecordSerializer):
    record_services = services.TRAINING_SERVICES

    class Meta(RecordMeta):
        model = Training
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "name",
            "kind",
            "start_date",
            "end_date",
            "completed",
            "created_at",
            "updated_at",
        ]


class EmploymentSerializer(PersonRecordSerializer):
    record_services = services.EMPLOYMENT_SERVICES

    class Meta(RecordMeta):
        model = Employment
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "form",
            "employer",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
        ]


class GraduateSerializer(PersonRecordSerializer):
    record_services = services.GRADUATE_SERVICES
    employed = serializers.SerializerMethodField(label="年末就业")

    class Meta(RecordMeta):
        model = Graduate
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "graduation_year",
            "school",
            "degree",
            "employed",
            "created_at",
            "updated_at",
        ]

    def get_employed(self, graduate: Graduate) -> bool | None:
        """Employment record active on 31 December of the graduation year (today for this year)."""
        return getattr(graduate, "employed", None)


class TrainingViewSet(RecordViewSet):
    """职业技能培训."""

    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    ordering_fields = ["start_date", "id"]


class EmploymentViewSet(RecordViewSet):
    """就业登记 (end one by setting end_date)."""

    serializer_class = EmploymentSerializer
    filterset_class = EmploymentFilter
    ordering_fields = ["start_date", "end_date", "id"]


class GraduateViewSet(RecordViewSet):
    """高校残疾人毕业生, with `employed` on 31 December of the graduation year."""

    serializer_class = GraduateSerializer
    filterset_class = GraduateFilter
    ordering_fields = ["graduation_year", "id"]

    def get_queryset(self):
        return super().get_queryset().with_employment_status()
