import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_five_bad_passwords_lock_the_account_even_for_the_right_one(client, clerk_user):
    for _ in range(5):
        response = client.post(LOGIN, {"username": "clerk", "password": "wrong-password"})
        assert response.status_code in (200, 429)
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_before_the_limit(client, clerk_user):
    for _ in range(3):
        client.post(LOGIN, {"username": "clerk", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302


def test_session_expires_after_inactivity(client, clerk_user):
    with freeze_time("2026-11-28 09:00:00") as frozen:
        client.post(LOGIN, {"username": "clerk", "password": PASSWORD})
        assert client.get("/registry/persons/").status_code == 200
        frozen.tick(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert client.get("/registry/persons/").status_code == 200  # activity keeps the session alive
        frozen.tick(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        response = client.get("/registry/persons/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123", "qwertyuiop"])
def test_weak_passwords_are_refused_in_chinese(password, clerk_user):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, clerk_user)
    assert any("密码" in m for m in exc.value.messages)


def test_strong_password_passes_validators(clerk_user):
    validate_password("Gulou-disability-2025", clerk_user)


@pytest.mark.parametrize(
    ("posted", "empty"),
    [
        ({"username": "", "password": ""}, ["username", "password"]),
        ({"username": "clerk", "password": ""}, ["password"]),
    ],
)
def test_an_empty_login_field_is_named_under_the_field(client, clerk_user, posted, empty):
    response = client.post(LOGIN, posted)
    page = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    for field in empty:
        assert f'<div class="invalid-feedback" id="id_{field}_error">必填项，不能为空</div>' in page
    assert page.count("is-invalid") == len(empty)
