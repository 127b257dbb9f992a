"""A user's own API token: see whether one exists and until when, generate a new one, revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import tokens


def _token_context(token) -> dict:
    return {
        "token": token,
        "expires_at": tokens.token_expires_at(token) if token else None,
        "expired": tokens.token_is_expired(token) if token else False,
        "ttl_days": tokens.token_lifetime().days,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def token_page(request):
    """GET: the token's state. POST action=generate shows the new key once; action=revoke deletes it."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "generate":
            token = tokens.token_regenerate(user=request.user)
            new_key = token.key
        elif action == "revoke":
            if tokens.token_revoke(user=request.user):
                messages.success(request, "令牌已撤销，使用它的程序将无法再访问接口")
            else:
                messages.info(request, "您没有令牌")
            return redirect("account_token")
        else:
            messages.error(request, "未知操作")
            return redirect("account_token")
    token = tokens.user_token(user=request.user)
    return render(request, "registration/token.html", {**_token_context(token), "new_key": new_key})


_TokenState = inline_serializer(
    name="ApiTokenState",
    fields={
        "has_token": serializers.BooleanField(),
        "created": serializers.DateTimeField(allow_null=True),
        "expires_at": serializers.DateTimeField(allow_null=True),
        "expired": serializers.BooleanField(),
    },
)


class TokenView(APIView):
    # The caller's own token: its state (GET) and revocation (DELETE). New tokens are made on the page
    # only, so that a token can never renew itself. (A comment: the schema would show a docstring.)

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="当前用户的API令牌状态",
        description="是否有令牌、生成时间与过期时间。新令牌在“API令牌”页面生成。",
        responses={200: _TokenState},
    )
    def get(self, request):
        token = tokens.user_token(user=request.user)
        return Response(
            {
                "has_token": token is not None,
                "created": token.created if token else None,
                "expires_at": tokens.token_expires_at(token) if token else None,
                "expired": tokens.token_is_expired(token) if token else False,
            }
        )

    @extend_schema(
        summary="撤销当前用户的API令牌",
        description="删除当前用户的令牌；之后使用该令牌的请求均返回401。",
        responses={204: None},
    )
    def delete(self, request):
        tokens.token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
