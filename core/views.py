"""Request and page helpers of every portal page: htmx fragments, query strings, form data, links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from core.forms import run_service


def is_htmx(request) -> bool:
    """A request made by htmx (the page swaps the answer in): answer a fragment, not a page."""
    return request.headers.get("HX-Request") == "true"


def vary_on_htmx(response):
    """The same URL answers a fragment or a page: caches must keep them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def export_url(resource: str, querystring: str) -> str:
    """The Excel export of a list page with its filters."""
    return f"{reverse('imports:export')}?resource={resource}" + (f"&{querystring}" if querystring else "")


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


def record_form(request, *, form, title: str, section_id: str, cancel_url: str, back_url: str, person=None):
    """A record's form: inside its section for htmx (it posts back there), a page of its own otherwise."""
    context = {
        "person": person,
        "form": form,
        "title": title,
        "action_url": request.get_full_path(),
        "section_id": section_id,
        "cancel_url": cancel_url,
        "back_url": back_url,
    }
    return fragment_or_page(request, "includes/record_form.html", "includes/record_form_page.html", context)


def act_and_tell(request, form, act: Callable[[], Any], *, success) -> None:
    """A form posted from a page that answers with a redirect, not the form again: a valid form calls
    the service, `act()`; the user reads `success` (a text, or a function of what the service
    returned), or else the form's errors or the service's refusal, joined with "；"."""
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return
    try:
        result = act()
    except ValidationError as exc:
        messages.error(request, "；".join(str(m) for m in exc.messages))
        return
    messages.success(request, success(result) if callable(success) else success)


def saved_redirect(request, form, save: Callable[[], Any], *, message, to):
    """A valid POST calls the service, `save()`; when it saves, the user reads `message` on the page
    `to` (each a text, or a function of the saved record). None otherwise (a GET, an invalid form, or
    the service's refusal shown on the form): the caller shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    saved = run_service(form, save)
    if saved is None:
        return None
    messages.success(request, message(saved) if callable(message) else message)
    return redirect(to(saved) if callable(to) else to)
