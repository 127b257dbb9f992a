"""Filter fields with strict values for the list filters and the API.

A value of the wrong type or out of range answers 400 with the form's Chinese message, never a 500
and never a silently empty list; the API schema publishes the same types and bounds.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

YES_NO = [("yes", "是"), ("no", "否")]
# API clients may also say true/false; anything else is refused with a 400.
YES_NO_ALIASES = {"true": "yes", "false": "no"}

# The largest value of a BigAutoField primary key (PostgreSQL bigint).
ID_MAX = 2**63 - 1


def int_or_none(value) -> int | None:
    """A page's whole-number query parameter (an id, a year), or None for anything else: text, a
    decimal, or a number no database column holds (SQLite, the quick start's, raised OverflowError on it:
    a 500), which would match nothing anyway."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if abs(number) <= ID_MAX else None


def is_api_request(request) -> bool:
    """A DRF request: the API validates every parameter its schema documents, even one a page hides."""
    return isinstance(request, Request)


class IntegerFilter(django_filters.NumberFilter):
    """An integer, optionally bounded: '0.5', '1e9' or a number out of range answer 400, never a 500.

    NumberFilter takes any decimal (so 'year=0.5' matched nothing and '-5.6e155' reached the database);
    the bounds are also published in the API schema.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int | None = None, max_value: int | None = None, **kwargs):
        if min_value is not None:
            kwargs["min_value"] = min_value
        if max_value is not None:
            kwargs["max_value"] = max_value
        super().__init__(*args, **kwargs)
        schema = {"type": "integer"}
        if min_value is not None:
            schema["minimum"] = min_value
        if max_value is not None:
            schema["maximum"] = max_value
        self._spectacular_annotation = {"field": schema}

    def get_max_validator(self):
        return None  # the bounds above, not NumberFilter's 1e50


def id_filter(**kwargs) -> IntegerFilter:
    """A primary key: a positive integer within PostgreSQL's bigint."""
    return IntegerFilter(min_value=1, max_value=ID_MAX, **kwargs)


class YesNoField(django_filters.fields.ChoiceField):
    def to_python(self, value):
        value = super().to_python(value)
        return YES_NO_ALIASES.get(value.lower(), value) if value else value


@extend_schema_field({"type": "string", "enum": ["yes", "no", "true", "false"]})
class YesNoFilter(django_filters.ChoiceFilter):
    """是/否 (yes/no, or true/false in the API); any other value answers 400.

    是 means its own boolean field is true, or `condition()` holds (a Q, built when the list is read:
    "operating today"); 否 the opposite. A `method` replaces both.
    """

    field_class = YesNoField

    def __init__(self, *args, condition: Callable[[], Q] | None = None, **kwargs):
        self.condition = condition
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("empty_label", "全部")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value not in ("yes", "no"):
            return qs
        if self.condition is None:
            return qs.filter(**{self.field_name: value == "yes"})
        condition = self.condition()
        return qs.filter(condition) if value == "yes" else qs.exclude(condition)
