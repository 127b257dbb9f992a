"""REST API of 法律救助: consultations and aid cases; list, retrieve, create, update (no delete).

Scoped with for_user, PersonDataPermission, access-logged, written through the services: a
service's ValidationError answers 400 with its Chinese messages (core.api.api_exception_handler).
"""

from __future__ import annotations

from rest_framework import serializers

from core.api import RecordMeta, ServiceWriteSerializer
from legal_aid import selectors, services
from legal_aid.filters import AidCaseFilter, ConsultationFilter
from legal_aid.models import AidCase, Consultation
from registry.api import PersonRecordSerializer, RecordViewSet, ScopedPersonField, ScopedStreetField


class ConsultationSerializer(ServiceWriteSerializer):
    record_services = services.CONSULTATION_SERVICES
    person = ScopedPersonField(label="持证残疾人", required=False, allow_null=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default=None, label="姓名")
    person_id_number = serializers.CharField(
        source="person.masked_id_number", read_only=True, default=None, label="公民身份号码（脱敏）"
    )
    street = ScopedStreetField(label="所属街道", required=False, help_text="关联持证残疾人时可省略")

    class Meta(RecordMeta):
        model = Consultation
        fields = [
            "id",
            "number",
            "consulted_on",
            "street",
            "person",
            "person_name",
            "person_id_number",
            "visitor_name",
            "channel",
            "channel_display",
            "topic",
            "topic_display",
            "summary",
            "reply",
            "handled_by",
            "created_at",
            "updated_at",
        ]


class AidCaseSerializer(PersonRecordSerializer):
    record_services = services.AID_CASE_SERVICES
    person_change_message = "不能更改法律救助案件所属的人员，请为该人员新建案件"

    class Meta(RecordMeta):
        model = AidCase
        fields = [
            *PersonRecordSerializer.PERSON_FIELDS,
            "kind",
            "kind_display",
            "subject",
            "counsel",
            "opened_on",
            "closed_on",
            "outcome",
            "outcome_display",
            "amount_recovered",
            "notes",
            "created_at",
            "updated_at",
        ]


class ConsultationViewSet(RecordViewSet):
    """法律咨询 of the user's streets (a person's, or anonymous with a street)."""

    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilter
    ordering_fields = ["consulted_on", "id"]
    ordering = ["-consulted_on", "-id"]

    def get_queryset(self):
        return selectors.consultations(user=self.request.user)


class AidCaseViewSet(RecordViewSet):
    """法律救助案件 of the user's persons (close one with closed_on and outcome)."""

    serializer_class = AidCaseSerializer
    filterset_class = AidCaseFilter
    search_fields = ["person__name", "=person__id_number", "subject", "counsel"]
    ordering_fields = ["opened_on", "closed_on", "id"]
    ordering = ["-opened_on", "-id"]
