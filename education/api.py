"""REST API of 教育助学 and 送教上门: list, retrieve, create, update (through the services)."""

from __future__ import annotations

from core.api import RecordMeta
from education import services
from education.filters import EducationAidFilter, HomeTeachingVisitFilter
from education.models import EducationAid, HomeTeachingVisit
from registry.api import PersonRecordSerializer, RecordViewSet


class EducationAidSerializer(PersonRecordSerializer):
    record_services = services.EDUCATION_AID_SERVICES
    person_change_message = "不能更改教育助学记录所属的人员，请为该人员新建记录"

    class Meta(RecordMeta):
        model = EducationAid
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "stage",
            "stage_display",
            "school",
            "kind",
            "kind_display",
            "aid_date",
            "amount",
            "notes",
            "created_at",
            "updated_at",
        ]


class HomeTeachingVisitSerializer(PersonRecordSerializer):
    record_services = services.HOME_TEACHING_VISIT_SERVICES
    person_change_message = "不能更改送教上门记录所属的人员，请为该人员新建记录"

    class Meta(RecordMeta):
        model = HomeTeachingVisit
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "visit_date",
            "teacher",
            "content",
            "created_at",
            "updated_at",
        ]


class EducationAidViewSet(RecordViewSet):
    """教育助学记录（助学补贴、奖励、送教上门等）。按街道范围授权。"""

    serializer_class = EducationAidSerializer
    filterset_class = EducationAidFilter
    search_fields = ["person__name", "=person__id_number", "school"]
    ordering_fields = ["aid_date", "kind", "stage", "id"]
    ordering = ["-aid_date", "id"]


class HomeTeachingVisitViewSet(RecordViewSet):
    """送教上门记录（日期、送教教师、内容）。按街道范围授权。"""

    serializer_class = HomeTeachingVisitSerializer
    filterset_class = HomeTeachingVisitFilter
    search_fields = ["person__name", "=person__id_number", "teacher"]
    ordering_fields = ["visit_date", "id"]
    ordering = ["-visit_date", "id"]
