"""REST API of the payment rolls: rolls and lines for staff and clerks (scoped), totals for every role."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import PersonDataPermission
from core.api import ChoiceLabelsMixin
from core.periods import today
from payments import selectors
from payments.models import Roll, RollLine
from registry.api import AccessLoggedViewSetMixin


class RollSerializer(ChoiceLabelsMixin, serializers.ModelSerializer):
    street = serializers.CharField(source="street.name", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)
    submitted_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()

    class Meta:
        model = Roll
        fields = [
            "id",
            "street",
            "month",
            "state",
            "state_display",
            "built_at",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "returned_reason",
            "exported_at",
        ]
        read_only_fields = fields


class RollLineSerializer(ChoiceLabelsMixin, serializers.ModelSerializer):
    """A line with the masked ID number and masked bank account (full values only in the bank file)."""

    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    bank_account = serializers.CharField(source="person.masked_bank_account", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)

    class Meta:
        model = RollLine
        fields = [
            "id",
            "roll",
            "name",
            "id_number",
            "bank_account",
            "kind",
            "kind_display",
            "month",
            "amount",
            "type",
            "paid",
            "failed",
            "failed_reason",
        ]
        read_only_fields = fields


class ReadOnlyPersonData(PersonDataPermission):
    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS and super().has_permission(request, view)


@extend_schema_view(
    list=extend_schema(summary="发放名册列表"), retrieve=extend_schema(summary="发放名册详情")
)
class RollViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RollSerializer
    permission_classes = [ReadOnlyPersonData]
    queryset = Roll.objects.none()
    ordering_fields = ["month"]

    def get_queryset(self):
        return (
            Roll.objects.for_user(self.request.user)
            .select_related("street", "submitted_by", "approved_by")
            .order_by("-month", "street__order")
        )


@extend_schema_view(
    list=extend_schema(
        summary="名册明细列表（身份证号、银行账号脱敏）",
        parameters=[
            OpenApiParameter(
                "roll",
                {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                description="只列出该名册的明细",
            )
        ],
    ),
    retrieve=extend_schema(summary="名册明细"),
)
class RollLineViewSet(AccessLoggedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    # names of paid persons are person-level data: every read is in the access log
    access_log_object_type = "payment_roll_line"
    serializer_class = RollLineSerializer
    permission_classes = [ReadOnlyPersonData]
    queryset = RollLine.objects.none()
    ordering_fields = ["month", "amount"]

    def get_queryset(self):
        queryset = (
            RollLine.objects.for_user(self.request.user).select_related("person").order_by("roll_id", "id")
        )
        roll = _int_param(self.request, "roll", maximum=2**31 - 1)
        return queryset if roll is None else queryset.filter(roll_id=roll)


def _int_param(request, name: str, *, minimum: int = 1, maximum: int) -> int | None:
    """A whole-number query parameter given at most once, within its bounds; else a 400 in Chinese."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    value = values[0].strip()
    if len(values) > 1 or not value.isdigit() or not minimum <= int(value) <= maximum:
        raise ValidationError({name: [f"应为{minimum}到{maximum}之间的整数，且只能填写一次"]})
    return int(value)


class TotalsSerializer(serializers.Serializer):
    month = serializers.CharField()
    street = serializers.CharField()
    kind = serializers.CharField()
    lines = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class RollTotalsView(APIView):
    """Approved roll totals by month, street and kind: aggregates only, for every role."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="已审核名册发放统计（按月份、街道、项目）",
        parameters=[
            OpenApiParameter(
                "year", {"type": "integer", "minimum": 2015, "maximum": 2100}, description="年度，默认今年"
            )
        ],
        responses=TotalsSerializer(many=True),
    )
    def get(self, request):
        year = _int_param(request, "year", minimum=2015, maximum=2100)
        year = today().year if year is None else year
        rows = selectors.totals_by_month_street_kind(year)
        return Response([{**row, "amount": f"{row['amount']:.2f}"} for row in rows])
