"""API tokens that expire (API_TOKEN_TTL_DAYS after creation) and that their holder can revoke.

A token is DRF's authtoken `Token` (one per user); this module is the only place that creates or deletes
one outside the admin, and `ExpiringTokenAuthentication` is the only class that accepts one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

EXPIRED_MESSAGE = "令牌已过期，请重新生成"


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + token_lifetime()


def token_is_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than API_TOKEN_TTL_DAYS (HTTP 401)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise AuthenticationFailed(EXPIRED_MESSAGE)
        return user, token


def user_token(*, user) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def token_regenerate(*, user) -> Token:
    """A new token for `user`, replacing (and so revoking) the one they had."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_revoke(*, user) -> bool:
    """Delete the user's token; True if there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
