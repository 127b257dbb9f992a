"""issue 14 §7: the admin speaks Chinese (no English left from Django, django-axes or our codes)."""

import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.urls import reverse

from imports.tests.factories import ImportJobFactory

pytestmark = pytest.mark.django_db

LISTED_ENGLISH = [
    "Axes",
    "AXES",
    "Access attempts",
    "Access failures",
    "Access logs",
    "access attempt",
    "Get full name",
    "GET FULL NAME",
    "Choose all",
    "Model name",
    "Add link",
    "Change or view list link",
    "After you",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Locked Out",
    "Can add",
    "Can change",
    "Expiration",
    "（persons）",
]


def _visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def admin_pages(admin_user):
    ImportJobFactory()
    AccessAttempt.objects.create(
        username="x",
        ip_address="1.2.3.4",
        user_agent="ua",
        http_accept="a",
        path_info="/",
        failures_since_start=1,
        get_data="",
        post_data="",
    )
    AccessLog.objects.create(
        username="x", ip_address="1.2.3.4", user_agent="ua", http_accept="a", path_info="/"
    )
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    return urls


def test_admin_pages_contain_none_of_the_listed_english_strings(client_for, admin_user, admin_pages):
    client = client_for(admin_user)
    found = {}
    for url in admin_pages:
        text = _visible_text(client.get(url).content.decode())
        hits = [word for word in LISTED_ENGLISH if word in text]
        if hits:
            found[url] = hits
    assert found == {}


def test_admin_javascript_catalogue_translates_the_selector_buttons(client_for, admin_user):
    catalogue = client_for(admin_user).get(reverse("admin:jsi18n")).content.decode()

    assert "全选%s" in catalogue or "\\u5168\\u9009%s" in catalogue


def test_axes_app_is_named_in_chinese(client_for, admin_user):
    html = client_for(admin_user).get(reverse("admin:index")).content.decode()

    assert "登录保护" in html
    assert "登录尝试" in html


def test_group_permissions_read_in_chinese(client_for, admin_user):
    html = client_for(admin_user).get(reverse("admin:auth_group_add")).content.decode()

    assert "可修改 | 持证残疾人登记 | 持证残疾人" in html


FAVICON = "/static/favicon.svg"


def test_favicon_on_admin_api_and_api_docs_pages(client_for, admin_user, clerk_user):
    assert FAVICON in client_for(admin_user).get(reverse("admin:index")).content.decode()
    client = client_for(clerk_user)
    api_page = client.get("/api/registry/persons/", HTTP_ACCEPT="text/html").content.decode()
    assert FAVICON in api_page
    assert "鼓楼区残联服务平台接口" in api_page
    assert "Django REST framework" not in api_page
    assert FAVICON in client.get(reverse("api-docs")).content.decode()
