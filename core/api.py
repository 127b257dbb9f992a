"""The API's shared pieces below every app: the exception handler of the whole API and the one write
path of a serializer (its save() calls a service).

Services raise Django's `ValidationError` with Chinese messages; the handler answers it with a 400
keyed by field ("non_field_errors" otherwise), so no view or serializer catches it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler

from core.constraints import bound_messages
from core.models import Street
from core.record_services import RecordServices


def _as_drf(exc: DjangoValidationError) -> ValidationError:
    """A service's Chinese messages, keyed by field as DRF clients expect ("non_field_errors" otherwise)."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): [
                    str(m) for e in errors for m in e.messages
                ]
                for field, errors in exc.error_dict.items()
            }
        )
    return ValidationError({"non_field_errors": [str(m) for m in exc.messages]})


def api_exception_handler(exc, context):
    """DRF's handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]), plus:

    - Django's ValidationError (a model's clean(), a service's rule) answers 400 with its messages;
    - DRF passes Django's Http404 message on ("No Person matches the given query.", English and naming
      a model class) and the JSON parser's own error text: both become Chinese. Every other message
      of DRF and Django comes translated (LANGUAGE_CODE is zh-hans).
    """
    if isinstance(exc, DjangoValidationError):
        exc = _as_drf(exc)
    elif isinstance(exc, Http404):
        exc = NotFound()  # "未找到。"
    elif isinstance(exc, ParseError) and str(exc.detail).startswith("JSON parse error"):
        exc = ParseError("请求内容不是有效的JSON。")
    return exception_handler(exc, context)


def router_urls(*routes: tuple[str, type, str]) -> list:
    """An app's API URLs: its root (DRF's DefaultRouter) and each (prefix, viewset, basename) route."""
    router = DefaultRouter()
    for prefix, viewset, basename in routes:
        router.register(prefix, viewset, basename=basename)
    return router.urls


class RecordMeta:
    """The Meta base of a service-written record's serializer (`class Meta(RecordMeta)`): its
    timestamps are read-only, and DRF's own validators are off, since the service's full_clean checks
    uniqueness and every rule with the model's Chinese messages."""

    read_only_fields = ["created_at", "updated_at"]
    validators = []


class ScopedChoicesMixin:
    # A serializer's choices within the user's scope: `scoped_choices` maps a field to the model whose
    # `for_user(user)` it chooses from; `kept_on_update` names the fields a saved record keeps (they
    # are read-only when one is changed). (A comment: see ServiceWriteSerializer.)

    scoped_choices: dict = {}
    kept_on_update: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        for name, model in self.scoped_choices.items():
            fields[name].queryset = model.objects.for_user(user)
        if isinstance(self.instance, self.Meta.model):
            for name in self.kept_on_update:
                fields[name].read_only = True
        return fields


class ChoiceLabelsMixin:
    # A ModelSerializer's "<field>_display" in Meta.fields, where nothing else of that name exists, is
    # the label of the choice field <field>: read-only, from the model's get_<field>_display().
    # (A comment, not a docstring: the API schema would show it as every subclass's description.)

    def build_field(self, field_name, info, model_class, nested_depth):
        choice_field = field_name.removesuffix("_display")
        label_getter = f"get_{choice_field}_display"
        if (
            choice_field != field_name
            and not hasattr(model_class, field_name)
            and hasattr(model_class, label_getter)
        ):
            return serializers.CharField, {"source": label_getter, "read_only": True}
        return super().build_field(field_name, info, model_class, nested_depth)


class ServiceWriteSerializer(ChoiceLabelsMixin, serializers.ModelSerializer):
    # The one write path of the API: serializer.save() calls the app's service. Subclasses name the
    # record's `record_services` (core.record_services.RecordServices), or define
    # `create_record(acting_user, data)` and `update_record(acting_user, instance, data)` where the
    # call differs; a service's ValidationError reaches api_exception_handler (400).
    # (A comment, not a docstring: the API schema would show it as every subclass's description.)

    record_services: RecordServices | None = None

    def build_standard_field(self, field_name, model_field):
        # DRF turns a model field's MinValueValidator / MaxValueValidator into min_value / max_value
        # with DRF's own text: a validator given a message of its own (不能为负数) keeps it here, so
        # the API says what the form, the admin and the import say.
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        for kind, message in bound_messages(model_field).items():
            if kind in field_kwargs:
                field_kwargs.setdefault("error_messages", {})[kind] = message
        return field_class, field_kwargs

    def create(self, validated_data):
        return self.create_record(self.context["request"].user, validated_data)

    def update(self, instance, validated_data):
        return self.update_record(self.context["request"].user, instance, validated_data)

    def create_record(self, acting_user, data):
        if self.record_services is None:
            raise NotImplementedError(f"{type(self).__name__} must define create_record")
        return self.record_services.create_record(acting_user, data)

    def update_record(self, acting_user, instance, data):
        if self.record_services is None:
            raise NotImplementedError(f"{type(self).__name__} must define update_record")
        return self.record_services.update_record(acting_user, instance, data)


class StreetRecordSerializer(ScopedChoicesMixin, ServiceWriteSerializer):
    # A record of a street rather than of a person (a care home, an organisation, a team): its street
    # is one of the user's streets, and the street's name is read back. Subclasses list "street" and
    # "street_name" in their Meta.fields.
    # (A comment, not a docstring: the API schema would show it as every subclass's description.)

    scoped_choices = {"street": Street}
    street = serializers.PrimaryKeyRelatedField(queryset=Street.objects.none(), label="所属街道")
    street_name = serializers.CharField(source="street.name", read_only=True, label="街道名称")
