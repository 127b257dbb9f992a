"""The person sections of the domains on the person's page: scoped look-ups, access-logged reads,
list pages and the section's inline forms. No business rule lives here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.forms import run_service
from core.views import fragment_or_page, is_htmx, optional_url, query_without_page
from registry.audit import log_access
from registry.models import AccessLog, Person

PAGE_SIZE = 50


# Requests and URLs ----------------------------------------------------------------------------


def paginate(
    request, queryset, per_page: int = PAGE_SIZE, *, access_log: str | None = None
) -> tuple[Page, str]:
    """The requested page and the query string of the filters without `page` (for page links).

    A list of person data names its object type in `access_log`: the page's rows are logged once.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    if access_log:
        log_access(
            request=request, action=AccessLog.Action.LIST, object_type=access_log, rows=page.object_list
        )
    return page, query_without_page(request)


def log_section_read(request, url_name: str, person: Person, action: str = AccessLog.Action.VIEW) -> None:
    """A domain's section or record form shows one person's records: logged on GET (writes keep history)."""
    if request.method == "GET":
        log_access(request=request, action=action, object_type=url_name.replace(":", "."), obj=person)


# Scoped look-ups ------------------------------------------------------------------------------


def person_or_404(request, pk: int) -> Person:
    """A person of the user's streets (another street's answers 404)."""
    return get_object_or_404(Person.objects.for_user(request.user).select_related("street"), pk=pk)


def record_or_404(request, model, pk: int, *related: str):
    """A person's record of the user's streets (another street's answers 404)."""
    return get_object_or_404(
        model.objects.for_user(request.user).select_related("person", "person__street", *related), pk=pk
    )


# Person sections and record forms ------------------------------------------------------------


def person_url_or(person: Person, fallback_name: str) -> str:
    """The person's detail page, or the given page of the person while the detail page does not exist."""
    return optional_url("registry:person_detail", person.pk) or reverse(fallback_name, args=[person.pk])


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


class PersonSection:
    """A domain's section on the person's page: its fragment (htmx) or page, and its record forms.

    `records` gives the context entry of the person's records: (name, function of the person).
    """

    def __init__(self, *, url_name: str, section_id: str, fragment: str, page: str, records):
        self.url_name = url_name
        self.section_id = section_id
        self.fragment = fragment
        self.page = page
        self.records_name, self.records_of = records

    def response(self, request, person: Person):
        log_section_read(request, self.url_name, person)
        context = {
            "person": person,
            self.records_name: self.records_of(person),
            "section_id": self.section_id,
            "person_url": optional_url("registry:person_detail", person.pk),
        }
        return fragment_or_page(request, self.fragment, self.page, context)

    def form(self, request, *, person: Person, form, save: Callable[[], Any], title: str, message: str):
        """GET shows the form; a valid POST calls the service, then shows the section (htmx) or goes
        back to the person with `message`."""
        if request.method == "POST" and form.is_valid() and run_service(form, save) is not None:
            if is_htmx(request):
                return self.response(request, person)
            messages.success(request, message)
            return redirect(person_url_or(person, self.url_name))
        log_section_read(request, self.url_name, person, AccessLog.Action.EDIT)
        section_url = reverse(self.url_name, args=[person.pk])
        return record_form(
            request,
            person=person,
            form=form,
            title=title,
            section_id=self.section_id,
            cancel_url=section_url,
            back_url=optional_url("registry:person_detail", person.pk) or section_url,
        )


class InlineFormSection:
    """A domain's section on the person's page whose forms open inside it (subsidies, rehab).

    `records(person)` gives the section's own context entries; `form_extra` is added to the
    context of the form's own page (visits without htmx).
    """

    def __init__(self, *, url_name: str, fragment: str, page: str, form_page: str, records, form_extra=None):
        self.url_name = url_name
        self.fragment = fragment
        self.page = page
        self.form_page = form_page
        self.records = records
        self.form_extra = form_extra or {}

    def context(
        self,
        person: Person,
        *,
        form=None,
        form_action: str = "",
        form_title: str = "",
        notice: str = "",
        notice_level: str = "success",
    ) -> dict:
        return {
            "person": person,
            **self.records(person),
            "form": form,
            "form_action": form_action,
            "form_title": form_title,
            "notice": notice,
            "notice_level": notice_level,
        }

    def render(self, request, person: Person, **kwargs):
        """The section fragment (htmx swaps it in)."""
        return render(request, self.fragment, self.context(person, **kwargs))

    def response(self, request, person: Person):
        """The section for htmx, or a page of its own."""
        log_section_read(request, self.url_name, person)
        if is_htmx(request):
            return self.render(request, person)
        context = self.context(person)
        context["person_url"] = optional_url("registry:person_detail", person.pk)
        return render(request, self.page, context)

    def done(self, request, person: Person, message: str):
        """After a successful write: the fresh section for htmx, else back to the person."""
        if is_htmx(request):
            return self.render(request, person, notice=message)
        messages.success(request, message)
        return redirect(person_url_or(person, self.url_name))

    def form(self, request, person: Person, form, *, action: str, title: str):
        """The form inside the section for htmx, else on a page of its own."""
        log_section_read(request, self.url_name, person, AccessLog.Action.EDIT)
        if is_htmx(request):
            return self.render(request, person, form=form, form_action=action, form_title=title)
        context = {
            "person": person,
            "form": form,
            "form_action": action,
            "title": title,
            "person_url": optional_url("registry:person_detail", person.pk),
            **self.form_extra,
        }
        return render(request, self.form_page, context)
