"""REST API of 办证申请: list and retrieve (with the steps), and 受理 (create) through the service,
scoped by street like every other door; closed to community workers."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from certificates import services
from certificates.models import Application, ApplicationKind, ApplicationState, ApplicationStep, KindReason
from core.access import PersonDataPermission
from core.api import ChoiceLabelsMixin, ServiceWriteSerializer
from core.idnumbers import mask_id_number
from registry.api import AccessLoggedViewSetMixin, ScopedCommunityField, ScopedStreetField


class ApplicationStepSerializer(ChoiceLabelsMixin, serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_username", read_only=True)
    # empty when the step is not an assessment / a decision: plain strings, not enums
    category = serializers.CharField(read_only=True, help_text="残疾类别代码（评定环节），其他环节为空")
    grade = serializers.CharField(read_only=True, help_text="残疾等级代码（评定环节），其他环节为空")
    decision = serializers.CharField(
        read_only=True, help_text="issue 发证 / refuse 不予办理（审核环节），其他为空"
    )

    class Meta:
        model = ApplicationStep
        fields = [
            "sequence",
            "kind",
            "kind_display",
            "done_on",
            "institution",
            "assessed_on",
            "category",
            "grade",
            "doctor",
            "decision",
            "reason",
            "certificate_number",
            "note",
            "by",
            "at",
        ]
        read_only_fields = fields


class ApplicationSerializer(ServiceWriteSerializer):
    street = ScopedStreetField()
    community = ScopedCommunityField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    reason = serializers.ChoiceField(choices=KindReason.choices, required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=ApplicationState.choices, read_only=True)
    steps = ApplicationStepSerializer(many=True, read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="首次审核结论：issue / refuse，未决定为空")

    class Meta:
        model = Application
        fields = [
            "id",
            "name",
            "id_number",
            "phone",
            "address",
            "street",
            "community",
            "kind",
            "reason",
            "received_on",
            "state",
            "state_display",
            "decided_on",
            "outcome",
            "person",
            "steps",
        ]
        read_only_fields = ["state", "decided_on", "outcome", "person"]
        extra_kwargs = {"received_on": {"required": False}, "id_number": {"max_length": 30}}

    def create_record(self, acting_user, data):
        return services.application_receive(acting_user=acting_user, **data)


class ListedStepSerializer(ApplicationStepSerializer):
    certificate_number = serializers.SerializerMethodField(help_text="残疾人证号（脱敏）")

    def get_certificate_number(self, step) -> str:
        # the certificate number is the whole ID number followed by the category and grade digits
        return mask_id_number(step.certificate_number)


class ApplicationListSerializer(ApplicationSerializer):
    # A list row: the ID number masked, like every list (access.md); the full numbers are on the detail.
    id_number = serializers.CharField(source="masked_id_number", read_only=True, label="公民身份号码（脱敏）")
    steps = ListedStepSerializer(many=True, read_only=True)


@extend_schema_view(list=extend_schema(summary="办证申请列表（身份证号、证号脱敏）"))
class ApplicationViewSet(
    AccessLoggedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """残疾人证申请（受理及其办理环节）。按街道范围授权；社区专职委员无权使用。"""

    serializer_class = ApplicationSerializer
    permission_classes = [PersonDataPermission]
    ordering_fields = ["received_on", "decided_on", "id"]
    ordering = ["-received_on", "-id"]

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationSerializer

    def get_queryset(self):
        return (
            Application.objects.for_user(self.request.user)
            .select_related("street")
            .prefetch_related("steps__by")
            .order_by("-received_on", "-id")
        )
