"""The person sections of the domains on the person's page: scoped look-ups, access-logged reads,
list pages and the section's inline forms. No business rule lives here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required
from core.forms import run_service
from core.views import export_url, form_data, is_htmx, query_without_page, vary_on_htmx
from registry.audit import log_access
from registry.models import AccessLog, Person

PAGE_SIZE = 50


# Requests and URLs ----------------------------------------------------------------------------


class IdsFirstPaginator(Paginator):
    """A page in two steps: the page's ids in the list's order (an index-only scan of the list's
    ordering index, however deep the page), then its rows by primary key. A late page then joins
    50 rows instead of every row before it."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        by_pk = self.object_list.filter(pk__in=ids).in_bulk()
        return self._get_page([by_pk[pk] for pk in ids if pk in by_pk], number, self)


def page_by_ids(rows, number, per_page: int, load: Callable[[list[int]], Any]) -> Page:
    """One page of a list that is costly to compute (a gap list) in two queries, however long the
    list: the ordered ids, then `load(ids)` reads the page's rows by primary key.

    `rows` is the list's queryset, whose ordered ids are read whole (one narrow query that computes
    the set once; a COUNT and a sorted page would compute it twice), or a list of ids in order, or a
    function `read(offset, limit) -> (ids, length)` that reads the page's ids and the list's length
    at once (`indicators.selectors.gap_person_ids`), so the ids of the other pages never leave the
    database."""
    if callable(rows):
        ids = _IdsWindow(rows, _requested_page(number), per_page)
    elif isinstance(rows, list):
        ids = rows
    else:
        ids = list(rows.values_list("pk", flat=True))
    page = Paginator(ids, per_page).get_page(number)
    page_ids = list(page.object_list)
    by_pk = {obj.pk: obj for obj in load(page_ids)}
    page.object_list = [by_pk[pk] for pk in page_ids if pk in by_pk]
    return page


def _requested_page(number) -> int:
    try:
        return max(int(number), 1)
    except (TypeError, ValueError):
        return 1


class _IdsWindow:
    """The ordered ids of a list as the paginator sees them: its length and one page's slice, both
    answered by the first `read(offset, limit)`; only a page out of range (the paginator then shows
    the last one) costs a second read."""

    def __init__(self, read: Callable[[int, int], tuple[list[int], int]], number: int, per_page: int):
        self._read, self._per_page = read, per_page
        self._offset = (number - 1) * per_page
        self._ids, self._length = read(self._offset, per_page)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, window: slice) -> list[int]:
        start = window.start or 0
        if start != self._offset:
            self._offset = start
            self._ids, self._length = self._read(start, self._per_page)
        return self._ids[: window.stop - start]


def paginate(
    request,
    queryset,
    per_page: int = PAGE_SIZE,
    *,
    access_log: str | None = None,
    paginator_class: type[Paginator] = Paginator,
) -> tuple[Page, str]:
    """The requested page and the query string of the filters without `page` (for page links).

    A list of person data names its object type in `access_log`: the page's rows are logged once.
    """
    page = paginator_class(queryset, per_page).get_page(request.GET.get("page"))
    if access_log:
        log_access(
            request=request, action=AccessLog.Action.LIST, object_type=access_log, rows=page.object_list
        )
    return page, query_without_page(request)


def list_page(
    request,
    template: str,
    queryset,
    *,
    filterset_class=None,
    export: str = "",
    access_log: str | None = None,
    paginator_class: type[Paginator] = Paginator,
    **extra,
):
    """A list page: the rows filtered by `filterset_class` (its form is `filter`), one page of them
    (access-logged as `access_log` when they are person data), and the Excel export of the filtered
    list (`export` names the resource)."""
    context = dict(extra)
    if filterset_class is not None:
        filterset = filterset_class(request.GET, queryset=queryset, request=request)
        context["filter"] = filterset
        queryset = filterset.qs
    context["page_obj"], context["querystring"] = paginate(
        request, queryset, access_log=access_log, paginator_class=paginator_class
    )
    if export:
        context["export_url"] = export_url(export, context["querystring"])
    return render(request, template, context)


def list_view(
    template: str, rows: Callable[..., Any], *, context: Callable[[Any], dict] | None = None, **options
):
    """A domain's list page of person data as a view: `rows(user=)` (the selector of the user's
    records) shown by `list_page` with `options` (filterset_class, export, access_log, ...), plus the
    entries `context(request)` adds."""

    @require_GET
    @person_data_required
    def view(request):
        extra = context(request) if context is not None else {}
        return list_page(request, template, rows(user=request.user), **options, **extra)

    return view


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


# Person sections and their inline forms -------------------------------------------------------


def person_url(person: Person) -> str:
    """The person's detail page (the section's forms go back there)."""
    return reverse("registry:person_detail", args=[person.pk])


def _text(value, obj) -> str:
    """A title or message: a text, or a function of the record."""
    return value(obj) if callable(value) else value


class InlineFormSection:
    """A domain's section on the person's page whose forms open inside it.

    The section is an htmx fragment loaded into the person's page (a page of its own without htmx);
    its add/edit/end forms are swapped into the section and post back there, and a save answers the
    fresh section with a notice. Without JavaScript the forms are pages of their own that go back to
    the person's page.

    `records(person)` gives the section's own context entries; `form_extra` is added to the
    context of the form's own page (visits without htmx).
    """

    def __init__(
        self,
        *,
        url_name: str,
        fragment: str,
        page: str,
        records: Callable[[Person], dict],
        form_page: str = "includes/section_form_page.html",
        form_extra: dict | None = None,
    ):
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
            "section_url": reverse(self.url_name, args=[person.pk]),
            "form": form,
            "form_action": form_action,
            "form_title": form_title,
            "notice": notice,
            "notice_level": notice_level,
        }

    def render(self, request, person: Person, **kwargs):
        """The section fragment (htmx swaps it in)."""
        return vary_on_htmx(render(request, self.fragment, self.context(person, **kwargs)))

    def response(self, request, person: Person):
        """The section for htmx, or a page of its own."""
        log_section_read(request, self.url_name, person)
        if is_htmx(request):
            return self.render(request, person)
        context = self.context(person)
        context["person_url"] = person_url(person)
        return vary_on_htmx(render(request, self.page, context))

    def done(self, request, person: Person, message: str):
        """After a successful write: the fresh section for htmx, else back to the person."""
        if is_htmx(request):
            return self.render(request, person, notice=message)
        messages.success(request, message)
        return redirect(person_url(person))

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
            "person_url": person_url(person),
            "section_url": reverse(self.url_name, args=[person.pk]),
            **self.form_extra,
        }
        return vary_on_htmx(render(request, self.form_page, context))

    def edit(self, request, person: Person, form, *, save: Callable[[dict], Any], title: str, message):
        """GET (or an invalid POST) shows the form; a valid POST calls the service, `save(cleaned_data)`,
        and answers the fresh section with `message` (a text, or a function of the saved record)."""
        if request.method == "POST" and form.is_valid():
            saved = run_service(form, lambda: save(form.cleaned_data))
            if saved is not None:
                return self.done(request, person, _text(message, saved))
        return self.form(request, person, form, action=request.get_full_path(), title=title)

    def section_view(self):
        """The page that shows the section of one person (htmx loads it into the person's page)."""

        @require_GET
        @person_data_required
        def view(request, person_pk: int):
            return self.response(request, person_or_404(request, person_pk))

        return view

    def create_view(self, form_class, service: Callable[..., Any], title: str, message):
        """The page that adds a record of the person: `service(acting_user=, person=, **cleaned_data)`."""

        @require_http_methods(["GET", "POST"])
        @person_data_required
        def view(request, person_pk: int):
            person = person_or_404(request, person_pk)
            form = form_class(form_data(request), instance=form_class._meta.model(person=person))
            return self.edit(
                request,
                person,
                form,
                save=lambda data: service(acting_user=request.user, person=person, **data),
                title=title,
                message=message,
            )

        return view

    def update_view(
        self,
        model,
        form_class,
        service: Callable[..., Any],
        title,
        message,
        *,
        record_arg: str = "",
        related: tuple[str, ...] = (),
    ):
        """The page that changes (or ends) a record of the person: `service(acting_user=, <record_arg>=record,
        **cleaned_data)` (every service takes its changes as keywords). The record
        argument is named after the model unless `record_arg` names it; `title` is a text or a function
        of the record."""
        name = record_arg or model._meta.model_name

        @require_http_methods(["GET", "POST"])
        @person_data_required
        def view(request, pk: int):
            record = record_or_404(request, model, pk, *related)
            form = form_class(form_data(request), instance=record)

            def save(data: dict):
                return service(acting_user=request.user, **{name: record}, **data)

            return self.edit(
                request, record.person, form, save=save, title=_text(title, record), message=message
            )

        return view
