"""The production processes answer: health check, static files through WhiteNoise, a task through the
real worker, and pages that run under the Content-Security-Policy in a real browser."""

import json
import re
import urllib.request

from celery import Celery

ADMIN_PASSWORD = "E2e-admin-Passw0rd-2026"
HASHED_STATIC = re.compile(r"/static/[\w/.-]+\.[0-9a-f]{12}\.(?:css|js)")


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_healthz_reports_database_and_redis_up(running_stack):
    status, _, body = get(f"{running_stack}/healthz")
    report = json.loads(body)
    assert status == 200
    assert report["status"] == "ok"
    assert report["database"] == "ok"
    assert report["redis"] == "ok"
    assert "last_indicator_run_age_seconds" in report


def test_login_page_is_served_with_hashed_compressed_static_files(running_stack):
    status, headers, body = get(f"{running_stack}/accounts/login/")
    assert status == 200
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    static_urls = HASHED_STATIC.findall(body.decode())
    assert len(static_urls) >= 3, body.decode()[:500]  # Bootstrap, htmx, the portal's own files
    for path in static_urls:
        status, headers, _ = get(f"{running_stack}{path}", **{"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers.get("Content-Encoding") == "gzip", path
        assert "immutable" in headers["Cache-Control"], path


def test_celery_task_round_trip_through_the_stack_worker(running_stack, stack_env):
    broker = stack_env["CELERY_BROKER_URL"]
    client = Celery("e2e-probe", broker=broker, backend=broker)
    try:
        assert client.send_task("gulou_portal.tasks.ping").get(timeout=60) == "pong"
    finally:
        client.close()


def test_login_and_admin_pages_run_without_csp_violations(running_stack, stack_manage, page):
    # given an administrator account on the stack
    stack_manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser('e2e_admin', 'it@example.org', '{ADMIN_PASSWORD}')",
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    # when he logs in through the portal's login page and walks through the admin
    page.goto(f"{running_stack}/accounts/login/")
    page.fill("#id_username", "e2e_admin")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url
    for path in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/add/"):
        page.goto(f"{running_stack}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("#content").count() == 1, path
    # the admin's own scripts work: the group form's permission selector is built by SelectFilter2.js
    assert page.locator("#id_permissions_input").count() == 1
    # then the browser reports no Content-Security-Policy violation anywhere
    assert violations == []
