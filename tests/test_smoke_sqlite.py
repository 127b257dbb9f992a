"""The quick start on the embedded default: SQLite, no broker, demo data, the development server."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="gulou_portal.settings.local",
        DJANGO_DEBUG="false",
    )
    return env


def _manage(env: dict, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _wait_for(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def quick_start(tmp_path_factory):
    """The quick start's server on a fresh SQLite database with 300 demo persons: its base URL."""
    env = _env(tmp_path_factory.mktemp("quickstart") / "quickstart.sqlite3")
    migrated = _manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    generated = _manage(env, "generate_demo_data", "--persons", "300", "--seed", "11")
    assert generated.returncode == 0, generated.stderr
    assert "持证残疾人 300 名" in generated.stdout

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", time.monotonic() + 60)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            server.kill()


def _logged_in(base: str, username: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login_page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": "Gulou-demo-2025", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/"})
    opener.open(request, timeout=10)
    return opener


def test_quick_start_on_sqlite_serves_the_person_list(quick_start):
    opener = _logged_in(quick_start, "demo_staff")
    with opener.open(f"{quick_start}/registry/persons/", timeout=20) as response:
        page = response.read().decode()
        assert response.status == 200
        assert response.url.endswith("/registry/persons/")
    assert "持证残疾人" in page
    assert "共 300 条" in page
    assert re.search(r"\d{6}\*{8}\d{3}[\dX]", page)  # masked ID numbers


# Links a crawl does not follow: leaving, the admin, files (exports answer with a workbook, not a page).
_NOT_FOLLOWED = re.compile(r"^/(accounts/logout|admin|static)/|export|download|\.xlsx|\.csv|/api/")


def _shape(path: str) -> str:
    """A link's shape: its path with numbers as N and its query's keys (one page per shape is enough
    to run each view's SQL). An indicator's code keeps its digits: each gap list has SQL of its own."""
    parsed = urllib.parse.urlsplit(path)
    keys = ",".join(sorted(urllib.parse.parse_qs(parsed.query)))
    return re.sub(r"(?<![A-Z\d])\d+", "N", parsed.path) + "?" + keys


@pytest.mark.parametrize("username", ["demo_staff", "demo_clerk", "demo_worker", "demo_official"])
def test_every_page_a_role_reaches_from_its_landing_page_answers_on_sqlite(quick_start, username):
    """SQL that only PostgreSQL speaks would break the quick start: every page each role reaches by
    following links (one per shape), the dashboard's gap lists included, answers (no server error, and no refusal or 404 for a link the role was shown)."""
    opener = _logged_in(quick_start, username)
    queue, seen, visited, failed = ["/", "/indicators/?year=2025"], set(), 0, []
    while queue and visited < 160:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen:
            continue
        seen.add(shape)
        visited += 1
        try:
            with opener.open(f"{quick_start}{path}", timeout=30) as response:
                page = response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:  # a link the page showed: neither refused nor missing
            failed.append((path, error.code))
            continue
        for link in re.findall(r'href="(/[^"#]*)"', page):
            link = link.replace("&amp;", "&")
            if not _NOT_FOLLOWED.search(link):
                queue.append(link)
    assert not failed, failed
    assert visited >= 10
