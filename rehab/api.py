"""REST API of 康复服务: list, retrieve, create, update."""

from __future__ import annotations

from core.api import RecordMeta
from registry.api import PersonRecordSerializer, RecordViewSet
from rehab import services
from rehab.filters import RehabServiceFilter
from rehab.models import RehabService


class RehabServiceSerializer(PersonRecordSerializer):
    record_services = services.REHAB_SERVICE_SERVICES
    person_change_message = "不能更改康复服务记录所属的人员，请为该人员新建记录"

    class Meta(RecordMeta):
        model = RehabService
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "kind",
            "kind_display",
            "service_date",
            "provider",
            "device_name",
            "amount",
            "created_at",
            "updated_at",
        ]


class RehabServiceViewSet(RecordViewSet):
    """康复服务记录（含辅助器具适配、无障碍改造）。按街道范围授权。"""

    serializer_class = RehabServiceSerializer
    filterset_class = RehabServiceFilter
    search_fields = ["person__name", "=person__id_number", "device_name", "provider"]
    ordering_fields = ["service_date", "kind", "id"]
    ordering = ["-service_date", "id"]
