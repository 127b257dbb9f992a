"""REST API of the register: persons and surveys, scoped like the pages, written through the services.

The domain apps' APIs build on its shared pieces: `ScopedPersonField`, `PersonRecordSerializer` (a
person's record, saved through the domain's services: core.api.ServiceWriteSerializer) and
`RecordViewSet` (scoped, access-logged, no delete). A service's ValidationError answers 400 through
core.api.api_exception_handler; nothing here catches it.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from core.access import PersonDataPermission
from core.api import ChoiceLabelsMixin, RecordMeta, ServiceWriteSerializer
from core.api_contract import OrderingFilter
from core.idnumbers import normalize_id_number
from core.models import Community, Street
from core.roles import OTHER_STREET_MESSAGE
from registry import selectors, services
from registry.audit import log_access
from registry.filters import PersonFilter, SurveyFilter
from registry.models import (
    PERSON_BANK_FIELDS,
    PERSON_DETAIL_FIELDS,
    PERSON_IDENTITY_FIELDS,
    PERSON_READ_ONLY_FIELDS,
    AccessLog,
    Person,
    Survey,
)


class ScopedPersonField(serializers.PrimaryKeyRelatedField):
    """A person of the requesting user's scope; another street's person is '不存在', like a wrong id."""

    default_error_messages = {
        "does_not_exist": "持证残疾人（ID {pk_value}）不存在",
        "incorrect_type": "持证残疾人ID应为整数",
    }

    def get_queryset(self):
        return Person.objects.for_user(self.context["request"].user)


class PersonRecordSerializer(ServiceWriteSerializer):
    # A record of one person, written through its domain's services (ServiceWriteSerializer): the
    # person is one of the user's persons and stays the record's person; a change is refused with
    # `person_change_message`. Subclasses list PERSON_FIELDS in their Meta.fields.
    # (A comment, not a docstring: the API schema would show it as every subclass's description.)

    person = ScopedPersonField(label="持证残疾人")
    person_name = serializers.CharField(source="person.name", read_only=True, label="姓名")
    person_id_number = serializers.CharField(
        source="person.masked_id_number", read_only=True, label="公民身份号码（脱敏）"
    )
    street = serializers.CharField(source="person.street.name", read_only=True, label="街道")

    PERSON_FIELDS = ["id", "person", "person_name", "person_id_number", "street"]
    person_change_message = ""

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, self.Meta.model):
            fields["person"].required = False  # a correction need not repeat the person
        return fields

    def validate_person(self, person):
        if isinstance(self.instance, self.Meta.model) and person.pk != self.instance.person_id:
            raise ValidationError(
                self.person_change_message
                or f"不能更改{self.Meta.model._meta.verbose_name}所属的人员，请为该人员新建记录"
            )
        return person

    def update(self, instance, validated_data):
        validated_data.pop("person", None)
        return super().update(instance, validated_data)


class ScopedStreetField(serializers.SlugRelatedField):
    """A street by its name (宁海路街道); only the streets the user may write in are accepted."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="name", **kwargs)

    def get_queryset(self):
        return Street.objects.for_user(self.context["request"].user, action="change")

    def to_internal_value(self, data):
        street = Street.objects.by_name(str(data))
        if street is None or not self.get_queryset().filter(pk=street.pk).exists():
            raise ValidationError(OTHER_STREET_MESSAGE if street else f"街道“{data}”不存在")
        return street


class ScopedCommunityField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Community.objects.for_user(self.context["request"].user)


class PersonListSerializer(ChoiceLabelsMixin, serializers.ModelSerializer):
    """List rows carry masked ID numbers only (access.md)."""

    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    street = serializers.CharField(source="street.name", read_only=True)
    community = serializers.CharField(source="community.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "category",
            "category_display",
            "grade",
            "grade_display",
            "issued_on",
            "street",
            "community",
            "status",
            "status_display",
            "status_changed_on",
        ]
        read_only_fields = fields


class PersonSerializer(ServiceWriteSerializer):
    """A person's record with the full ID number; writes are validated by the model and the services."""

    id_number = serializers.CharField(max_length=40)
    certificate_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    street = ScopedStreetField()
    community = ScopedCommunityField(required=False, allow_null=True)
    bank_account = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="12至30位数字；只写，读取时见 bank_account_masked",
    )
    bank_account_masked = serializers.CharField(source="masked_bank_account", read_only=True)

    class Meta:
        model = Person
        # the clerk's fields with the derived sex and birth date after the identity, as the API always had them
        fields = [
            "id",
            *PERSON_IDENTITY_FIELDS,
            "sex",
            "birth_date",
            *PERSON_DETAIL_FIELDS,
            *PERSON_BANK_FIELDS,
            "bank_account_masked",
            "status",
            "status_display",
            "status_changed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = list(PERSON_READ_ONLY_FIELDS)

    def validate_id_number(self, value: str) -> str:
        return normalize_id_number(value)

    def validate_certificate_number(self, value: str) -> str:
        return normalize_id_number(value)

    def create_record(self, acting_user, data):
        return services.person_register(acting_user=acting_user, **data)

    def update_record(self, acting_user, person, data):
        return services.person_update(acting_user=acting_user, person=person, **data)


class SurveySerializer(ServiceWriteSerializer):
    person = ScopedPersonField(label="持证残疾人")
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta(RecordMeta):
        model = Survey
        fields = [
            "id",
            "person",
            "person_name",
            "year",
            *services.SURVEY_EDITABLE_FIELDS,
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["person"].read_only = True
            fields["year"].read_only = True
        return fields

    def create_record(self, acting_user, data):
        return services.survey_create(acting_user=acting_user, **data)

    def update_record(self, acting_user, survey, data):
        data.pop("person", None)
        data.pop("year", None)
        return services.survey_update(acting_user=acting_user, survey=survey, **data)


class AccessLoggedViewSetMixin:
    """Every successful GET of a list page, a detail or a detail route writes one access-log row
    (access.md).

    The row names the object of a detail, or counts the rows of the page a list returned and keeps
    their persons' ids; the channel says whether a session or a token asked. A viewset whose objects
    hold no person data (care homes, projects) sets `access_log = False`.
    """

    access_log = True
    access_log_object_type = ""  # the model's name unless a viewset names its objects
    _access_rows = None
    _access_object = None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._access_rows = page
        return page

    def get_object(self):
        self._access_object = super().get_object()
        return self._access_object

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        action = getattr(self, "action", None)
        if self.access_log and request.method == "GET" and response.status_code == 200:
            if action == "list":
                rows = self._access_rows
                if rows is None and isinstance(response.data, list):  # a viewset without pagination
                    self._log_read(request, AccessLog.Action.LIST, row_count=len(response.data))
                else:
                    self._log_read(request, AccessLog.Action.LIST, rows=rows or [])
            elif self._access_object is not None:
                # retrieve, and any detail route that read its object (a case's close and actions)
                self._log_read(request, AccessLog.Action.VIEW, obj=self._access_object)
        return response

    def _log_read(self, request, action, **kwargs):
        object_type = self.access_log_object_type or self.get_queryset().model._meta.model_name
        log_access(request=request, action=action, object_type=object_type, **kwargs)


class WriteViewSet(
    AccessLoggedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create, update; no destroy (persons change status, they are never deleted)."""

    permission_classes = [PersonDataPermission]


class RecordViewSet(WriteViewSet):
    """A domain's records of the user's scope (`for_user` of its serializer's model) with the rows
    they show (`related`), in `order_by` where it is given, written through its services."""

    related: tuple[str, ...] = ("person", "person__street")
    order_by: tuple[str, ...] = ()

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        rows = model.objects.for_user(self.request.user).select_related(*self.related)
        return rows.order_by(*self.order_by) if self.order_by else rows


@extend_schema_view(
    list=extend_schema(summary="持证残疾人列表（身份证号脱敏）"),
    retrieve=extend_schema(summary="持证残疾人详情（完整身份证号）"),
    create=extend_schema(summary="登记持证残疾人"),
    update=extend_schema(summary="修改持证残疾人"),
    partial_update=extend_schema(summary="部分修改持证残疾人"),
)
class PersonViewSet(WriteViewSet):
    queryset = Person.objects.none()
    # Search is PersonFilter's `q` (name, or an exact ID / certificate number), as on the list page.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = PersonFilter
    ordering_fields = ["name", "issued_on", "id"]

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)

    def get_serializer_class(self):
        return PersonListSerializer if self.action == "list" else PersonSerializer


@extend_schema_view(
    list=extend_schema(summary="年度调查列表"),
    retrieve=extend_schema(summary="年度调查详情"),
    create=extend_schema(summary="新增年度调查"),
    update=extend_schema(summary="修改年度调查"),
    partial_update=extend_schema(summary="部分修改年度调查"),
)
class SurveyViewSet(WriteViewSet):
    queryset = Survey.objects.none()
    serializer_class = SurveySerializer
    filterset_class = SurveyFilter
    search_fields = ["person__name"]
    ordering_fields = ["year", "id"]

    def get_queryset(self):
        return selectors.survey_get_queryset(user=self.request.user).order_by("-year", "id")
