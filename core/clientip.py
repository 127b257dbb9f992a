"""The client's address, the one function every consumer uses (login lockout, failure log, access log, logs).

Directly exposed (TRUSTED_PROXY_COUNT=0) the client is REMOTE_ADDR and X-Forwarded-For is ignored: any
client can write that header. Behind N trusted proxies that each append the address they received the
request from (nginx's `$proxy_add_x_forwarded_for`), the client is the N-th address from the right of
X-Forwarded-For: the one the outermost trusted proxy appended. Addresses further left were written by
the client and are not believed. A header with fewer than N addresses did not pass through all the
proxies, so REMOTE_ADDR is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address as the configured proxies vouch for it (see the module docstring)."""
    remote_addr = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    proxy_count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxy_count <= 0:
        return remote_addr
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxy_count:
        return remote_addr
    return _valid_ip(forwarded[-proxy_count]) or remote_addr
