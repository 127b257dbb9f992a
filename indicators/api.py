"""Read-only API: indicator values of the latest runs and the run log (aggregates: every role)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from rest_framework import serializers, viewsets

from core.filter_fields import IntegerFilter

from .models import IndicatorRun, IndicatorValue, RunStatus
from .selectors import snapshot_values


class IndicatorValueSerializer(serializers.ModelSerializer):
    # District-wide rows (全区) have no street: null.
    street = serializers.CharField(source="street.name", default=None, read_only=True, allow_null=True)
    run = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "run",
            "code",
            "year",
            "street",
            "numerator",
            "denominator",
            "value",
            "target",
            "met",
            "extra",
        ]


class IndicatorValueFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label="指标编号（K01–K12）")
    year = IntegerFilter(field_name="year", label="年度", min_value=2000, max_value=2100)
    street = django_filters.CharFilter(method="filter_street", label="街道名称或简称；“全区”为全区合计")

    class Meta:
        model = IndicatorValue
        fields = ["code", "year", "street"]

    def filter_street(self, queryset, name, value):
        value = value.strip()
        if value in ("全区", "district", "null"):
            return queryset.filter(street__isnull=True)
        full = value if value.endswith("街道") else f"{value}街道"
        return queryset.filter(Q(street__name=full) | Q(street__short_name=value))


class IndicatorValueViewSet(viewsets.ReadOnlyModelViewSet):
    """The figures the dashboard shows: for each year, the latest succeeded run that computed it."""

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    ordering_fields = ["code", "year", "value"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database access
            return IndicatorValue.objects.none()
        if self.action == "retrieve":  # any stored figure stays addressable
            values = IndicatorValue.objects.filter(run__status=RunStatus.SUCCEEDED)
        else:
            values = snapshot_values()
        return values.select_related("street").order_by("code", "year", "street__order")


class IndicatorRunSerializer(serializers.ModelSerializer):
    triggered_by = serializers.CharField(source="who", read_only=True)
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorRun
        fields = [
            "id",
            "started_at",
            "finished_at",
            "status",
            "error",
            "years",
            "trigger",
            "triggered_by",
            "duration_seconds",
        ]

    def get_duration_seconds(self, run) -> float | None:
        return run.duration.total_seconds() if run.duration is not None else None


class IndicatorRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorRunSerializer
    queryset = IndicatorRun.objects.select_related("triggered_by").order_by("-started_at", "-pk")
    filterset_fields = ["status"]
    ordering_fields = ["started_at", "finished_at", "id"]
    search_fields = []
