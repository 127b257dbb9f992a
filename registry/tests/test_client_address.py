"""The client's address behind 0 or N trusted proxies: lockout, axes' log, the access log and JSON logs.

Direct exposure (TRUSTED_PROXY_COUNT=0): X-Forwarded-For is ignored, the lockout keys on REMOTE_ADDR.
Behind one proxy (=1): the address the proxy appended (the right-most) is the client; what the client
wrote further left is not believed.
"""

import json
import logging

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from conftest import PASSWORD
from core.clientip import client_ip
from gulou_portal.jsonlog import JsonFormatter
from registry.models import AccessLog
from registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"


def _login(client, password, *, remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": "clerk", "password": password}, **headers)


def _fail_five_times(client, **where):
    for _ in range(5):
        assert _login(client, "wrong-password", **where).status_code in (200, 429)


# The one function ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "remote_addr", "forwarded_for", "expected"),
    [
        (0, "198.51.100.9", None, "198.51.100.9"),
        (0, "198.51.100.9", "203.0.113.5", "198.51.100.9"),  # header ignored when directly exposed
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "10.9.9.9, 203.0.113.5", "203.0.113.5"),  # the client's own entry is not believed
        (1, PROXY, None, PROXY),  # no header: did not come through the proxy
        (1, PROXY, "not-an-address", PROXY),
        (2, PROXY, "10.9.9.9, 203.0.113.5, 192.0.2.1", "203.0.113.5"),
        (2, PROXY, "203.0.113.5", PROXY),  # fewer entries than proxies
        (1, PROXY, "[2001:db8::7]:4431", "2001:db8::7"),
        (1, PROXY, "203.0.113.5:51234", "203.0.113.5"),
    ],
)
def test_client_ip_takes_the_nth_address_from_the_right(
    settings, count, remote_addr, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# Direct exposure ------------------------------------------------------------------------------


def test_direct_a_spoofed_header_cannot_dodge_the_lockout(client, clerk_user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # given five failures from one address, each claiming another X-Forwarded-For
    for n in range(5):
        _login(client, "wrong-password", remote_addr="198.51.100.9", forwarded_for=f"203.0.113.{n}")
    # then that address is locked whatever it claims
    response = _login(client, PASSWORD, remote_addr="198.51.100.9", forwarded_for="203.0.113.77")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.9"


def test_direct_a_spoofed_header_cannot_lock_out_the_address_it_names(client, clerk_user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # given an attacker who fails five times, claiming to be the victim's address
    _fail_five_times(client, remote_addr="198.51.100.66", forwarded_for="198.51.100.9")
    # then the victim, from his own address, still logs in
    assert _login(client, PASSWORD, remote_addr="198.51.100.9").status_code == 302


# Behind one proxy -----------------------------------------------------------------------------


def test_behind_one_proxy_failures_of_client_a_do_not_lock_client_b(client, clerk_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # given client A failing five times through the proxy (every request comes from 127.0.0.1)
    _fail_five_times(client, remote_addr=PROXY, forwarded_for="203.0.113.10")
    # then A is locked
    assert _login(client, PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.10").status_code == 429
    # and client B logs in as the same user through the same proxy
    assert _login(client, PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.20").status_code == 302
    # and axes' failure log names client A, not the proxy
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.10"]


def test_behind_one_proxy_a_client_cannot_escape_by_prepending_addresses(client, clerk_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # given client A writing a new fake address in front each time; the proxy appends A's real one
    for n in range(5):
        _login(client, "wrong-password", remote_addr=PROXY, forwarded_for=f"10.0.0.{n}, 203.0.113.10")
    response = _login(client, PASSWORD, remote_addr=PROXY, forwarded_for="10.0.0.99, 203.0.113.10")
    assert response.status_code == 429


def test_behind_one_proxy_a_client_cannot_lock_out_another_by_naming_it(client, clerk_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # given attacker C prepending victim B's address: the proxy still appends C's
    _fail_five_times(client, remote_addr=PROXY, forwarded_for="203.0.113.20, 203.0.113.66")
    # then B logs in
    assert _login(client, PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.20").status_code == 302


def test_behind_one_proxy_a_direct_client_is_believed_so_gunicorn_must_not_be_reachable(
    client, clerk_user, settings
):
    """What holds, and what does not, with TRUSTED_PROXY_COUNT=1 if gunicorn is reachable directly.

    A client bypassing the proxy writes the whole header: its right-most entry is believed. It can rotate
    that entry to escape its own lockout, and it can lock the pair (user, chosen address). That is why
    docs/operations.md requires gunicorn to listen on 127.0.0.1 (or a private network) behind the proxy.
    What still holds: the lockout stays per address, so it can never lock the user for every address.
    """
    settings.TRUSTED_PROXY_COUNT = 1
    _fail_five_times(client, remote_addr="198.51.100.66", forwarded_for="203.0.113.20")
    assert _login(client, PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.20").status_code == 429
    assert _login(client, PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.21").status_code == 302


# The portal's own records ---------------------------------------------------------------------


def test_access_log_records_the_client_address_behind_the_proxy(client_for, clerk_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    person = PersonFactory(street=clerk_user.portal_profile.street)
    client_for(clerk_user).get(
        f"/registry/persons/{person.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.10"
    )
    assert AccessLog.objects.get().ip_address == "203.0.113.10"


def test_json_log_lines_of_a_request_carry_the_client_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/x/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    record = logging.makeLogRecord({"msg": "boom", "levelname": "ERROR", "request": request})
    assert json.loads(JsonFormatter().format(record))["client_ip"] == "203.0.113.10"
