"""The API schema's AutoSchema (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

Kept apart from core.api_contract: DRF imports that one (pagination, search) while it is still
loading its generic views, which drf-spectacular's AutoSchema imports.
"""

from __future__ import annotations

from drf_spectacular import openapi
from rest_framework import serializers


class AutoSchema(openapi.AutoSchema):
    """Required text the server trims is not only spaces either: `pattern: \\S` next to `minLength: 1`."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(field, serializers.CharField)
            and not field.read_only
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and not {"enum", "format", "pattern"} & set(schema)
        ):
            schema["pattern"] = r"\S"
        return schema
