"""Every form of the portal, submitted with hostile values, answers without a server error.

The walk opens every page of the access matrix (tests/test_access_matrix.py) as district staff and
as a street clerk, reads the forms the page renders (search boxes and filters included) and submits
each of them: every field at once with each hostile value, then one field at a time with the others
left as the page filled them (so that one bad value reaches the rules behind the form's own checks).
A refusal (400, 403, 404, a form shown again with its errors) is fine; an exception or a 5xx is not.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver, resolve, reverse

from care_homes.tests.factories import CareHomeFactory
from core.forms import ShownFieldErrorsMixin
from core.models import Street
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory, person_edit_data
from tests.access import Kind
from tests.test_access_matrix import CASES

HOSTILE_VALUES = [
    "",
    "长" * 10_000,
    "\x00",
    "a\x00b",
    "1e308",
    "-1e308",
    "99999999999999999999",
    "-99999999999999999999",
    "1900-01-01",
    "2100-01-01",
]
# One field at a time: text values for every field, numbers and dates where the page left the
# field empty or filled it with a number or a date (a choice code gets the text values).
TEXT_VALUES = ["", "长" * 10_000, "a\x00b"]
NUMBER_VALUES = ["1e308", "-99999999999999999999"]
DATE_VALUES = ["1900-01-01", "2100-01-01"]
NUMBER = re.compile(r"-?\d+(\.\d+)?")
DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")
# The logout button is on every page: submitting it would end the walk's session.
SKIPPED_ACTIONS = {"logout", "admin:logout"}
PAGE_KINDS = {Kind.PERSON_DATA, Kind.AGGREGATE, Kind.STAFF}
PORTAL_APPS = {"registry", "subsidies", "employment", "rehab", "care_homes", "indicators", "imports"}


@dataclass
class FoundForm:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    htmx: bool = False

    def key(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    """The forms of a page with the values the page put in them (what a browser would send)."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FoundForm] = []
        self._form: FoundForm | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or a.get("hx-get") or self.page_url
            method = (a.get("method") or "get").lower()
            self._form = FoundForm(
                method, urljoin(self.page_url, action), htmx="hx-post" in a or "hx-get" in a
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields[name] = a.get("value") or "on"
                else:
                    self._form.fields.setdefault(name, "")
            elif kind not in {"submit", "button", "reset", "image"}:
                self._form.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            self._form.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = value
                self._form.fields[self._select] = value
            if "selected" in a:
                self._form.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def forms_of(page_url: str, html: str) -> list[FoundForm]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


def _url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _page_urls(street: Street) -> list[str]:
    """Every page of the access matrix that a GET opens, addressed in `street` (objects built there)."""
    urls, built = [], {}
    for case in CASES.values():
        if case.kind not in PAGE_KINDS or case.ok_status != 200 or "_api:" in case.url_name:
            continue
        if case.kwargs_for is not None and case.kwargs_for not in built:
            built[case.kwargs_for] = case.kwargs_for(street)  # one object per builder serves its pages
        kwargs = built.get(case.kwargs_for, {})
        urls.append(reverse(case.url_name, kwargs=kwargs) + case.query)
    # Records whose rules name fields their forms do not show: a closed home, a deceased person.
    closed_home = CareHomeFactory(street=street, opened_on=dt.date(2018, 1, 1), closed_on=dt.date(2019, 1, 1))
    deceased = PersonFactory(
        street=street, status=PersonStatus.DECEASED, status_changed_on=dt.date(2020, 1, 1)
    )
    urls.append(reverse("care_homes:home_update", args=[closed_home.pk]))
    urls.append(reverse("registry:person_update", args=[deceased.pk]))
    return urls


def _submit(client, form: FoundForm, data: dict[str, str], *, htmx: bool = False):
    """One submission; a database error stays inside its savepoint so that the walk goes on."""
    headers = {"HX-Request": "true"} if htmx else {}
    with transaction.atomic():
        if form.method == "post":
            return client.post(form.action, data, headers=headers)
        return client.get(form.action, data, headers=headers)


def _collect_forms(client, urls: list[str]) -> list[FoundForm]:
    found: dict[tuple, FoundForm] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_of(url, response.content.decode()):
            if _url_name(form.action) in SKIPPED_ACTIONS or not form.fields:
                continue
            found.setdefault(form.key(), form)
    return list(found.values())


def _hostile_submissions(form: FoundForm, *, one_at_a_time: bool = True):
    names = [name for name in form.fields if name != "csrfmiddlewaretoken"]
    for value in HOSTILE_VALUES:
        yield "every field", value, {**form.fields, **dict.fromkeys(names, value)}
        if form.htmx:  # the same form answered as a fragment inside the person's page
            yield "every field (htmx)", value, {**form.fields, **dict.fromkeys(names, value)}
    if not one_at_a_time:
        return
    # One field at a time; of a grid of like fields (targets: t_K02_2020 ...) one stands for all.
    shapes = {re.sub(r"\d+", "#", name): name for name in reversed(names)}
    for name in names:
        if name not in shapes.values():
            continue
        for value in _one_field_values(form.fields[name]):
            yield name, value, {**form.fields, name: value}


def _one_field_values(default: str) -> list[str]:
    values = list(TEXT_VALUES)
    if not default or NUMBER.fullmatch(default):
        values += NUMBER_VALUES
    if not default or DATE.fullmatch(default):
        values += DATE_VALUES
    return values


def _walk(client, user, found: list[FoundForm]) -> list[str]:
    """Submit every form with hostile values; the submissions that failed with a server error."""
    failures = []
    for form in found:
        # A history page's revert form is the change form again: every field at once is enough.
        one_at_a_time = "/history/" not in form.action
        for name, value, data in _hostile_submissions(form, one_at_a_time=one_at_a_time):
            label = f"{form.method.upper()} {form.action} {name}={value[:30]!r}"
            try:
                response = _submit(client, form, data, htmx=name.endswith("(htmx)"))
            except Exception as exc:  # every exception is a finding of the walk
                failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            if response.status_code >= 500:
                failures.append(f"{label}: HTTP {response.status_code}")
            if "_auth_user_id" not in client.session:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return failures


@pytest.mark.parametrize("role", ["staff", "clerk"])
def test_every_form_answers_hostile_values_without_a_server_error(role, client, role_users):
    # given every page of the portal, with its objects in the clerk's street
    user = role_users[role]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    street = Street.objects.get(name="宁海路街道")
    found = _collect_forms(client, _page_urls(street))
    assert len(found) >= 20, [f.action for f in found]  # the walk did find the portal's forms

    # when each form is submitted with hostile values
    failures = _walk(client, user, found)

    # then none of them is a server error
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"


def _admin_urls(admin_user) -> list[str]:
    """The admin's lists (search box), add and change pages, imports and history reverts of the
    portal's models, one existing object each."""
    urls = [reverse("admin:auth_user_password_change", args=[admin_user.pk])]
    for model in admin.site._registry:
        if model._meta.app_label not in PORTAL_APPS and model is not get_user_model():
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        if model is not get_user_model() and hasattr(admin.site._registry[model], "import_action"):
            urls.append(reverse(f"{prefix}_import"))
        obj = model._default_manager.order_by("pk").last()
        if obj is None:
            continue
        urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
        history = getattr(obj, "history", None)
        if history is not None and history.exists():
            urls.append(reverse(f"{prefix}_simple_history", args=[obj.pk, history.first().history_id]))
    return urls


def test_every_admin_form_answers_hostile_values_without_a_server_error(client, role_users):
    # given the portal's records (built by its pages' cases) and the admin's pages for them
    user = role_users["admin"]
    _page_urls(Street.objects.get(name="宁海路街道"))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    found = _collect_forms(client, _admin_urls(user))
    assert len(found) >= 30, [f.action for f in found]

    # when each form is submitted with hostile values
    failures = _walk(client, user, found)

    # then none of them is a server error
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"


# Errors on fields a form does not show ---------------------------------------------------------


def test_editing_a_closed_home_with_opening_after_closing_shows_the_error_above_the_form(
    client_for, staff_user
):
    # given a home closed on 2019-01-01
    home = CareHomeFactory(opened_on=dt.date(2018, 1, 1), closed_on=dt.date(2019, 1, 1))
    data = {"name": home.name, "level": home.level, "street": home.street_id, "rating": "3A"}

    # when its edit form moves the opening after the closing
    response = client_for(staff_user).post(
        reverse("care_homes:home_update", args=[home.pk]), {**data, "opened_on": "2020-01-01"}
    )

    # then the form is shown again with the model's message above it, and nothing changed
    assert response.status_code == 200
    assert "停用日期不能早于启用日期" in response.context["form"].non_field_errors()
    home.refresh_from_db()
    assert home.opened_on == dt.date(2018, 1, 1)


def test_editing_a_deceased_person_with_issue_after_death_shows_the_error_above_the_form(
    client_for, staff_user
):
    # given a person who died on 2020-01-01
    person = PersonFactory(status=PersonStatus.DECEASED, status_changed_on=dt.date(2020, 1, 1))

    # when the person's form moves 发证日期 after the death
    response = client_for(staff_user).post(
        reverse("registry:person_update", args=[person.pk]), person_edit_data(person, issued_on="2021-01-01")
    )

    # then the form is shown again with the message about 状态变更日期 above it
    assert response.status_code == 200
    assert "状态变更日期不能早于发证日期" in response.context["form"].non_field_errors()
    person.refresh_from_db()
    assert person.issued_on == dt.date(2015, 6, 1)


def test_an_error_on_a_field_the_form_does_not_show_becomes_a_non_field_error():
    class NameOnly(ShownFieldErrorsMixin, forms.Form):
        name = forms.CharField()

    form = NameOnly({"name": "张三"})
    assert form.is_valid()
    form.add_error("closed_on", "停用日期不能早于启用日期")
    form.add_error(None, forms.ValidationError({"name": "姓名有误", "status_changed_on": "日期有误"}))
    assert form.errors["name"] == ["姓名有误"]
    assert form.non_field_errors() == ["停用日期不能早于启用日期", "日期有误"]


def _project_form_classes() -> list[type]:
    get_resolver().url_patterns  # noqa: B018 - imports every view module, and with them their forms

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [
        cls
        for cls in set(subclasses(forms.BaseForm))
        if cls.__module__.split(".")[0] in PORTAL_APPS
        and ".tests" not in cls.__module__
        and not inspect.isabstract(cls)
    ]


def test_every_form_of_the_portal_and_the_admin_moves_errors_of_hidden_fields_above_the_form(admin_user):
    # the portal's own forms
    missing = [
        cls.__qualname__ for cls in _project_form_classes() if not issubclass(cls, ShownFieldErrorsMixin)
    ]
    # the admin's forms, including their inlines
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PORTAL_APPS and model is not get_user_model():
            continue  # third-party admins (groups, tokens, login attempts) validate no portal rule
        form_class = model_admin.get_form(request)
        if not issubclass(form_class, ShownFieldErrorsMixin):
            missing.append(f"{type(model_admin).__name__}.form")
        for inline in model_admin.get_inline_instances(request):
            if not issubclass(inline.get_formset(request).form, ShownFieldErrorsMixin):
                missing.append(f"{type(inline).__name__}.form")
    assert not missing, missing
