"""Request and page helpers of every portal page: htmx fragments, query strings, form data, links."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers


def is_htmx(request) -> bool:
    """A request made by htmx (the page swaps the answer in): answer a fragment, not a page."""
    return request.headers.get("HX-Request") == "true"


def vary_on_htmx(response):
    """The same URL answers a fragment or a page: caches must keep them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of a page another app may not have built yet; None hides the link."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def export_url(resource: str, querystring: str) -> str | None:
    """The Excel export of a list page with its filters (None while the export page does not exist)."""
    base = optional_url("imports:export")
    if base is None:
        return None
    return f"{base}?resource={resource}" + (f"&{querystring}" if querystring else "")


def query_without_page(request) -> str:
    """The query string of the filters without `page` (for page links)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_data(request):
    """The POST data to bind a form to, or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def fragment_or_page(request, fragment: str, page: str, context: dict):
    """The fragment for htmx (swapped into the page), the full page otherwise."""
    return vary_on_htmx(render(request, fragment if is_htmx(request) else page, context))
