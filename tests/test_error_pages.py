"""issue 14 §7: error pages in Chinese that say what happened, with a way back."""

import pytest
from django.test import Client
from django.urls import reverse

from registry.tests.factories import PersonFactory, street

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Server Error", "Forbidden", "Bad Request", "No Person matches", "the given query")


def assert_chinese_page(response, status):
    html = response.content.decode()
    assert response.status_code == status
    assert f'data-status="{status}"' in html
    assert "返回首页" in html
    for text in ENGLISH:
        assert text not in html


def test_clerk_gets_a_chinese_404_for_another_streets_person(client_for, clerk_user):
    other = PersonFactory(street=street("华侨路街道"))

    response = client_for(clerk_user).get(reverse("registry:person_detail", args=[other.pk]))

    assert_chinese_page(response, 404)
    assert "该人员不属于您所在的街道（社区）或不存在" in response.content.decode()


def test_official_is_told_his_role_has_no_personal_data(client_for, official_user):
    response = client_for(official_user).get(reverse("registry:person_list"))

    assert_chinese_page(response, 404)
    assert "领导查看角色不含个人信息" in response.content.decode()


def test_unknown_url_says_the_page_does_not_exist(client_for, clerk_user):
    response = client_for(clerk_user).get("/no-such-page/")

    assert_chinese_page(response, 404)
    assert "页面不存在" in response.content.decode()


def test_api_404_stays_json(client_for, clerk_user):
    response = client_for(clerk_user).get("/api/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_community_worker_gets_a_chinese_403_that_says_why(client_for, worker_user):
    response = client_for(worker_user).get(reverse("subsidies:grant_list"))

    assert_chinese_page(response, 403)
    assert "社区专职委员无权使用此功能" in response.content.decode()


@pytest.mark.urls("tests.error_urls")
def test_server_error_is_a_chinese_page(clerk_user):
    client = Client(raise_request_exception=False)
    client.force_login(clerk_user)

    response = client.get("/test-only/boom/")

    assert_chinese_page(response, 500)
    assert "系统出错了" in response.content.decode()


def test_csrf_failure_is_a_chinese_page(clerk_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_user)

    response = client.post(reverse("logout"))

    assert_chinese_page(response, 403)
    assert "请刷新页面后重新提交" in response.content.decode()


def test_local_settings_keep_debug_off_by_default():
    import importlib
    import os

    saved = os.environ.pop("DJANGO_DEBUG", None)
    try:
        local = importlib.import_module("gulou_portal.settings.local")
        local = importlib.reload(local)
        assert local.DEBUG is False
        assert local.WHITENOISE_USE_FINDERS is True
    finally:
        if saved is not None:
            os.environ["DJANGO_DEBUG"] = saved
