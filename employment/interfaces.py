"""Helpers for the HTML and API interfaces of the domain apps (employment and care_homes use them).

They parse input and call services; no business rule lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from rest_framework import serializers

from registry.roles import may_edit_records

PAGE_SIZE = 50


def is_htmx(request) -> bool:
    """A request made by htmx (the page swaps the answer in): answer a fragment, not a page."""
    return request.headers.get("HX-Request") == "true"


def vary_on_htmx(response):
    """The same URL answers a fragment or a page: caches must keep them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def reverse_or_none(name: str, *args: Any) -> str | None:
    """URLs of other engineers' pages (person detail, Excel export) may not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def edit_records_required(view):
    """Writes of person records: staff and admins everywhere, clerks in their street; others 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_edit_records(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def run_service(form: forms.BaseForm, action: Callable[[], Any]) -> Any | None:
    """Call the service; on ValidationError put its messages on the form and return None."""
    try:
        return action()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page and the query string of the filters without `page` (for page links)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


class StyledFormMixin:
    """Bootstrap classes, native date pickers, and the cursor in the first field.

    Forms of the person sections share the person's page with the other domains' forms: each
    form class names its own element ids (`auto_id`) so that no two inputs share one.
    """

    auto_id = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id)
        super().__init__(*args, **kwargs)
        for index, field in enumerate(self.fields.values()):
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            widget.attrs.setdefault("class", css)
            if index == 0:
                widget.attrs.setdefault("autofocus", True)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def drf_validation_error(exc: ValidationError) -> serializers.ValidationError:
    """A service's Django ValidationError as DRF's 400 answer, field by field, in Chinese."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [str(m) for e in errors for m in e]
            for field, errors in exc.error_dict.items()
        }
        return serializers.ValidationError(detail)
    return serializers.ValidationError({"non_field_errors": list(exc.messages)})


class ServiceModelViewSetMixin:
    """DRF create/update through the domain services; Django ValidationError → HTTP 400.

    Subclasses define `create_record(validated_data)` and `update_record(instance, validated_data)`.
    """

    def perform_create(self, serializer):
        try:
            serializer.instance = self.create_record(serializer.validated_data)
        except ValidationError as exc:
            raise drf_validation_error(exc) from exc

    def perform_update(self, serializer):
        try:
            serializer.instance = self.update_record(serializer.instance, serializer.validated_data)
        except ValidationError as exc:
            raise drf_validation_error(exc) from exc
