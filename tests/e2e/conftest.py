"""End-to-end tests against the real production processes: `scripts/stack.sh start` runs gunicorn, a
Celery worker and Celery beat with production settings on a dedicated database and Redis database.

Fixtures:
- `running_stack` (session): the stack's base URL, e.g. "http://127.0.0.1:41234". Started once per test
  session on a fresh database, stopped at the end. Skips with the reason when the stack cannot start
  (PostgreSQL or Redis down, ...), unless E2E_REQUIRE_STACK=1, which makes that a failure (CI).
- `stack_env` (session): the stack's environment, for subprocesses that must see what it sees.
- `stack_manage` (session): stack_manage("create_portal_user", "u", "--role", "official") runs
  manage.py against the stack's database and settings, returns the CompletedProcess.
- `browser_type_launch_args`: Debian's chromium for pytest-playwright's `page`, like tests/browser.

Environment: E2E_DATABASE_URL (postgres://postgres@127.0.0.1:5432/gulou_e2e; dropped and recreated at
the start), E2E_REDIS_URL (redis://127.0.0.1:6379/14; flushed at the start, so it must be a database of
its own, distinct from TEST_REDIS_URL), E2E_SESSION_IDLE_SECONDS (10) and E2E_IMPORT_ASYNC_THRESHOLD_ROWS
(100): the stack's SESSION_IDLE_SECONDS and IMPORT_ASYNC_THRESHOLD_ROWS.
"""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STACK = ROOT / "scripts" / "stack.sh"
# Playwright's sync API (the `page` fixture) keeps an event loop running in the test thread for the rest
# of the session; Django's async-safety check would then refuse ORM calls of later tests (as tests/browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SCRUBBED_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "GUNICORN_", "DB_CONN", "STACK_")


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("E2E_REQUIRE_STACK") == "1":
        pytest.fail(f"the end-to-end stack is required (E2E_REQUIRE_STACK=1): {reason}", pytrace=False)
    pytest.skip(f"the end-to-end stack cannot start: {reason}")


def _reset_database(database_url: str) -> None:
    """A fresh database every session: the stack's migrate builds it from nothing, as a deployment does."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=5,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"]))
        )
    connection.close()


def _flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url, socket_connect_timeout=5).flushdb()


@pytest.fixture(scope="session")
def stack_env(tmp_path_factory):
    database_url = os.environ.get("E2E_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gulou_e2e")
    redis_url = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/14")
    if redis_url == os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"):
        # the stack's worker would consume the tasks that other tests queue for their own worker
        pytest.fail("E2E_REDIS_URL must differ from TEST_REDIS_URL", pytrace=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    env.update(
        STACK_DIR=str(tmp_path_factory.mktemp("stack")),
        STACK_PORT=str(_free_port()),
        DJANGO_SETTINGS_MODULE="gulou_portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=redis_url,
        REDIS_URL=redis_url,
        GUNICORN_WORKERS="2",
        CELERY_WORKER_CONCURRENCY="2",
        # Short enough for the journeys (test_journeys.py) to see an idle session expire and a workbook
        # of a few hundred rows go through the worker with its progress bar.
        SESSION_IDLE_SECONDS=os.environ.get("E2E_SESSION_IDLE_SECONDS", "10"),
        IMPORT_ASYNC_THRESHOLD_ROWS=os.environ.get("E2E_IMPORT_ASYNC_THRESHOLD_ROWS", "100"),
    )
    return env


@pytest.fixture(scope="session")
def running_stack(stack_env):
    try:
        _reset_database(stack_env["DATABASE_URL"])
        _flush_redis(stack_env["CELERY_BROKER_URL"])
    except Exception as error:
        _unavailable(f"PostgreSQL or Redis not reachable ({error})")
    started = subprocess.run(
        [str(STACK), "start"], cwd=ROOT, env=stack_env, capture_output=True, text=True, timeout=600
    )
    try:
        if started.returncode != 0:
            output = (started.stdout + started.stderr).strip().splitlines()
            _unavailable("scripts/stack.sh start failed:\n" + "\n".join(output[-30:]))
        yield f"http://127.0.0.1:{stack_env['STACK_PORT']}"
    finally:
        subprocess.run([str(STACK), "stop"], cwd=ROOT, env=stack_env, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def stack_manage(running_stack, stack_env):
    def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=stack_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return manage


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
    }
