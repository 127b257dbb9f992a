"""REST API of 康复服务: list, retrieve, create, update."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from registry.access import PersonDataPermission
from registry.models import Person
from rehab import services
from rehab.filters import RehabServiceFilter
from rehab.models import RehabService


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    """A service's Django ValidationError as a DRF 400 with the same Chinese messages."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): [str(m) for e in errors for m in e]
            for field, errors in exc.error_dict.items()
        }
        return ValidationError(detail)
    return ValidationError({"non_field_errors": exc.messages})


class ScopedPersonField(serializers.PrimaryKeyRelatedField):
    """A person of the requesting user's scope; another street's person is '不存在', like a wrong id."""

    default_error_messages = {
        "does_not_exist": "持证残疾人（ID {pk_value}）不存在",
        "incorrect_type": "持证残疾人ID应为整数",
    }

    def get_queryset(self):
        return Person.objects.for_user(self.context["request"].user)


class RehabServiceSerializer(serializers.ModelSerializer):
    person = ScopedPersonField()
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = RehabService
        fields = [
            "id",
            "person",
            "person_name",
            "person_id_number",
            "kind",
            "kind_display",
            "service_date",
            "provider",
            "device_name",
            "amount",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness and the device-name rule are checked by the service (full_clean), in Chinese.
        validators = []

    def validate_person(self, person):
        if self.instance is not None and person.pk != self.instance.person_id:
            raise ValidationError("不能更改康复服务记录所属的人员，请为该人员新建记录")
        return person

    def create(self, validated_data):
        try:
            return services.rehab_service_create(acting_user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc

    def update(self, instance, validated_data):
        validated_data.pop("person", None)
        try:
            return services.rehab_service_update(
                acting_user=self.context["request"].user, service=instance, data=validated_data
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc


class RehabServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """康复服务记录（含辅助器具适配、无障碍改造）。按街道范围授权。"""

    serializer_class = RehabServiceSerializer
    permission_classes = [PersonDataPermission]
    filterset_class = RehabServiceFilter
    search_fields = ["person__name", "=person__id_number", "device_name", "provider"]
    ordering_fields = ["service_date", "kind", "id"]
    ordering = ["-service_date", "id"]

    def get_queryset(self):
        return RehabService.objects.for_user(self.request.user).select_related("person", "person__street")
