"""The API's published contract: strict paging and the error answers every operation documents.

Settings use `PageNumberPagination` (REST_FRAMEWORK) and `document_error_responses`
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]); tests/test_api_contract.py checks the server against
the schema with generated requests.
"""

from __future__ import annotations

import re

from rest_framework import filters, pagination
from rest_framework.exceptions import ValidationError

PAGE_MESSAGE = "页码应为正整数"
NUL_MESSAGE = "不能包含空字符（NUL）"
_PAGE_RE = re.compile(r"[1-9][0-9]{0,17}")


class PageNumberPagination(pagination.PageNumberPagination):
    """A page is a positive integer (400 otherwise, with a Chinese message); past the last page is 404."""

    invalid_page_message = "第 {page_number} 页不存在"

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if not _PAGE_RE.fullmatch(raw):
            raise ValidationError({self.page_query_param: [PAGE_MESSAGE]})
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}
                parameter["description"] = "页码，从 1 开始；不是正整数时答 400，超过末页时答 404。"
        return parameters


class SearchFilter(filters.SearchFilter):
    """DRF's search, whose refusal (a NUL character) is keyed by the parameter like every other 400."""

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: [NUL_MESSAGE]}) from exc


class OrderingFilter(filters.OrderingFilter):
    """Ordering by the view's `ordering_fields` (`name` or `-name`, comma separated), as the schema lists
    them; DRF silently drops any other term, here it is a 400."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term not in valid]
        if invalid:
            raise ValidationError({self.ordering_param: [f"排序字段无效：{'、'.join(invalid) or '（空）'}"]})
        return valid

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None)
        if not isinstance(fields, list | tuple):
            return super().get_schema_operation_parameters(view)
        terms = [term for field in fields for term in (field, f"-{field}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "排序字段，逗号分隔；字段前加 - 为降序。",
                "schema": {"type": "array", "items": {"type": "string", "enum": terms}},
                "style": "form",
                "explode": False,
            }
        ]


_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# {"field": ["消息", ...]}, {"non_field_errors": [...]} or {"detail": "..."} (a request DRF can't parse).
_VALIDATION = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    },
}
ERROR_COMPONENTS = {"ErrorDetail": _DETAIL, "ValidationErrors": _VALIDATION}

_ERRORS = {
    "400": ("ValidationErrors", "请求无效：参数、页码或提交的数据不符合要求（按字段给出中文消息）"),
    "401": ("ErrorDetail", "未认证：令牌无效或已过期"),
    "403": ("ErrorDetail", "未登录，或无权访问（如领导查看个人数据）"),
    "404": ("ErrorDetail", "对象不存在或不在用户的街道范围内，或页码超过末页"),
}


def _error_statuses(path: str, method: str, operation: dict) -> list[str]:
    statuses = ["401", "403"]
    query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if query or "requestBody" in operation:
        statuses.append("400")
    if "{" in path or any(p.get("name") == "page" for p in operation.get("parameters", [])):
        statuses.append("404")
    return statuses


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors it can answer.

    400 where there are query parameters or a body, 401/403 everywhere (login, role), 404 where a
    path names an object or a list is paged.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in _error_statuses(path, method, operation):
                component, description = _ERRORS[status]
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                        },
                    },
                )
    return result


NO_NUL = "^[^\\x00]*$"


def document_text_parameters(result, generator, request, public):
    """drf-spectacular postprocessing hook: free-text query parameters can't hold a NUL character
    (the server refuses it with a 400), so the schema says so."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                free_text = schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)
                if parameter.get("in") == "query" and free_text:
                    schema["pattern"] = NO_NUL
    return result
