"""REST API of 信访事项: list, retrieve, create and update, and two actions through the services:
`close` (办结: reply and outcome required) and `actions` (GET the dated actions, POST one). Scoped by
street like every other door (a community worker: his community's cases with a person)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import services
from cases.filters import CaseFilter
from cases.models import Case, CaseAction, CaseCategory, Outcome, Satisfaction, Source
from core.api import RecordMeta, ServiceWriteSerializer
from core.api_contract import NUL_MESSAGE
from registry.api import RecordViewSet, ScopedPersonField, ScopedStreetField


class StreetField(ScopedStreetField):
    """A street by its name; a NUL character is refused before the name is looked up."""

    def to_internal_value(self, data):
        if "\x00" in str(data):
            raise serializers.ValidationError(NUL_MESSAGE)
        return super().to_internal_value(data)


class CaseActionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_username", read_only=True)

    class Meta:
        model = CaseAction
        fields = ["id", "done_on", "note", "by", "created_at"]
        read_only_fields = ["id", "by", "created_at"]
        extra_kwargs = {"done_on": {"required": False}, "note": {"required": False, "allow_blank": True}}


class CaseSerializer(ServiceWriteSerializer):
    person = ScopedPersonField(label="持证残疾人", required=False, allow_null=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default=None, allow_null=True)
    street = StreetField()
    source = serializers.ChoiceField(choices=Source.choices)
    category = serializers.ChoiceField(choices=CaseCategory.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False)
    status = serializers.CharField(read_only=True, help_text="open 办理中 / closed 已办结")
    is_overdue = serializers.BooleanField(read_only=True, help_text="未办结且已过办理期限")
    closed_on_time = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="办结日期不晚于办理期限；未办结为空"
    )
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="留空按来源的办理时限（工作日）计算；人大建议、政协提案必填",
    )

    class Meta(RecordMeta):
        model = Case
        fields = [
            "id",
            "number",
            "source",
            "received_on",
            "person",
            "person_name",
            "petitioner",
            "phone",
            "street",
            "subject",
            "category",
            "content",
            "deadline",
            "deadline_from_rule",
            "assignee",
            "reply",
            "replied_on",
            "outcome",
            "satisfaction",
            "closed_on",
            "status",
            "is_overdue",
            "closed_on_time",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "deadline_from_rule",
            "reply",
            "replied_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"number": {"required": False}}

    def create_record(self, acting_user, data):
        data.pop("satisfaction", None)
        return services.case_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, case, data):
        return services.case_update(acting_user=acting_user, case=case, **data)


class CloseSerializer(serializers.Serializer):
    reply = serializers.CharField(required=False, allow_blank=True, label="答复内容")
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, label="办理结果"
    )
    closed_on = serializers.DateField(required=False, allow_null=True, label="办结日期（默认今天）")
    replied_on = serializers.DateField(required=False, allow_null=True, label="答复日期（默认办结日期）")
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True)


class CaseViewSet(RecordViewSet):
    """信访事项（来信、来访、网上信访、热线交办、人大建议、政协提案）。按街道范围授权。"""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["received_on", "deadline", "closed_on", "id"]
    ordering = ["-received_on", "-id"]
    access_log_object_type = "case"
    related = ("street", "person")
    order_by = ("-received_on", "-id")

    @extend_schema(
        request=CloseSerializer, responses=CaseSerializer, summary="办结（须填写答复内容和办理结果）"
    )
    @action(detail=True, methods=["get", "post"])
    def close(self, request, pk=None):
        """GET: the case; POST: close it."""
        case = self.get_object()
        if request.method == "POST":
            data = CloseSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            case = services.case_close(acting_user=request.user, case=case, **data.validated_data)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(
        request=CaseActionSerializer, responses=CaseActionSerializer(many=True), summary="办理记录"
    )
    @action(detail=True, methods=["get", "post"])
    def actions(self, request, pk=None):
        """GET: the dated actions; POST: add one (refused after closing and before receipt)."""
        case = self.get_object()
        if request.method == "POST":
            data = CaseActionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            created = services.case_action_add(acting_user=request.user, case=case, **data.validated_data)
            return Response(CaseActionSerializer(created).data, status=status.HTTP_201_CREATED)
        rows = case.actions.select_related("by").order_by("done_on", "id")
        return Response(CaseActionSerializer(rows, many=True).data)
