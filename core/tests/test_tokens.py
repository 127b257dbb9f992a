"""API tokens expire after API_TOKEN_TTL_DAYS and their holder can revoke them (page and API)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.tokens import EXPIRED_MESSAGE

pytestmark = pytest.mark.django_db

PERSONS = "/api/registry/persons/"


def _token_client(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _age(token: Token, days: float) -> Token:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=days))
    return Token.objects.get(pk=token.pk)


def test_token_younger_than_the_lifetime_is_accepted(staff_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = _age(Token.objects.create(user=staff_user), 29)
    assert _token_client(token).get(PERSONS).status_code == 200


def test_expired_token_answers_401_with_a_chinese_message(staff_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = _age(Token.objects.create(user=staff_user), 31)

    response = _token_client(token).get(PERSONS)

    assert response.status_code == 401
    assert response.json()["detail"] == EXPIRED_MESSAGE == "令牌已过期，请重新生成"
    assert response["WWW-Authenticate"].startswith("Token")


def test_lifetime_comes_from_the_setting(staff_user, settings):
    settings.API_TOKEN_TTL_DAYS = 1
    token = _age(Token.objects.create(user=staff_user), 2)
    assert _token_client(token).get(PERSONS).status_code == 401


def test_token_page_generates_a_key_shown_once(client_for, clerk_user):
    client = client_for(clerk_user)
    assert "没有令牌" in client.get(reverse("account_token")).content.decode()

    response = client.post(reverse("account_token"), {"action": "generate"})

    token = Token.objects.get(user=clerk_user)
    assert token.key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    page = client.get(reverse("account_token")).content.decode()
    assert token.key not in page  # shown once
    assert "有效" in page and timezone.localtime(token.created).strftime("%Y-%m-%d") in page
    assert _token_client(token).get(PERSONS).status_code == 200


def test_generating_again_replaces_the_old_token(client_for, clerk_user):
    old = Token.objects.create(user=clerk_user)
    client_for(clerk_user).post(reverse("account_token"), {"action": "generate"})
    assert _token_client(old).get(PERSONS).status_code == 401
    assert Token.objects.filter(user=clerk_user).exclude(key=old.key).count() == 1


def test_token_page_revokes_the_users_own_token_only(client_for, clerk_user, staff_user):
    own = Token.objects.create(user=clerk_user)
    other = Token.objects.create(user=staff_user)

    response = client_for(clerk_user).post(reverse("account_token"), {"action": "revoke"})

    assert response.status_code == 302
    assert _token_client(own).get(PERSONS).status_code == 401
    assert Token.objects.filter(pk=other.pk).exists()


def test_api_reports_the_token_state_and_revokes_it_with_delete(staff_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = Token.objects.create(user=staff_user)
    client = _token_client(token)

    state = client.get(reverse("api-token")).json()
    assert state["has_token"] is True and state["expired"] is False
    assert state["expires_at"] is not None

    assert client.delete(reverse("api-token")).status_code == 204
    assert not Token.objects.filter(user=staff_user).exists()
    assert client.get(PERSONS).status_code == 401


def test_expired_token_cannot_reach_the_token_endpoint_to_renew_itself(staff_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = _age(Token.objects.create(user=staff_user), 40)
    client = _token_client(token)
    assert client.get(reverse("api-token")).status_code == 401
    assert client.post(reverse("api-token")).status_code == 401
