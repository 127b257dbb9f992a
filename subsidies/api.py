"""REST API of 补贴与救助: list, retrieve, create, update (no delete: a grant ends, it is not removed)."""

from __future__ import annotations

from rest_framework import serializers

from core.api import RecordMeta
from core.forms import MONTH_INPUT_FORMATS
from registry.api import PersonRecordSerializer, RecordViewSet
from subsidies import services
from subsidies.filters import GrantFilter
from subsidies.models import Grant


class MonthSerializerField(serializers.DateField):
    """Accepts 2025-03 as well as 2025-03-01; always answers the first day of the month."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=[*MONTH_INPUT_FORMATS, "iso-8601"], **kwargs)
        self.error_messages["invalid"] = "月份格式错误，应为 2025-03 或 2025-03-01"

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        return date.replace(day=1)


class GrantSerializer(PersonRecordSerializer):
    record_services = services.GRANT_SERVICES
    person_change_message = "不能更改补贴记录所属的人员，请为该人员新建记录"
    start_month = MonthSerializerField(label="开始月份")
    end_month = MonthSerializerField(label="结束月份", required=False, allow_null=True)
    is_ongoing = serializers.BooleanField(read_only=True, label="发放中")

    class Meta(RecordMeta):
        model = Grant
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "kind",
            "kind_display",
            "start_month",
            "end_month",
            "monthly_amount",
            "is_ongoing",
            "created_at",
            "updated_at",
        ]


class GrantViewSet(RecordViewSet):
    """补贴与救助记录。按街道范围授权：街道经办人只能看到和修改本街道人员的记录。"""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    search_fields = ["person__name", "=person__id_number"]
    ordering_fields = ["start_month", "end_month", "kind", "id"]
    ordering = ["-start_month", "id"]
