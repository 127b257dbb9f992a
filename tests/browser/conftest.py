"""Browser tests: Debian's chromium driven by Playwright's sync API under pytest-django's live_server.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check must be
relaxed for these tests (and only these: this conftest is loaded for tests/browser/ alone).
"""

import os

import pytest

from conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


HERE = os.path.dirname(__file__)


def pytest_collection_modifyitems(items):
    # The hook sees every collected item: mark only this folder's tests.
    for item in items:
        if str(item.path).startswith(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def browser_login(live_server):
    """browser_login(page, username) logs the page in through the real login form."""

    def _login(page, username, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture
def console_errors(page):
    """The page's console errors and uncaught exceptions (a CSP violation is one): assert it stays []."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
