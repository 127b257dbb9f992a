"""Fixtures shared by every app's tests: users of each role, a real Celery worker, Chromium."""

import os

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from core.roles import Role
from registry.tests.factories import make_user

# The shared checks of the apps' tests report their failing values like a test's own asserts.
pytest.register_assert_rewrite("tests.assertions")

CLERK_STREET = "宁海路街道"
OTHER_STREET = "华侨路街道"
WORKER_COMMUNITY = "宁海路社区"
OTHER_COMMUNITY = "颐和路社区"  # same street as WORKER_COMMUNITY
PASSWORD = "Gulou-test-2025"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Streets and role groups come from a data migration, which a transactional test's flush wipes:
    put them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.contrib.auth.models import Group

    from core.models import Street
    from core.reference import ensure_reference_data

    ensure_reference_data(Street, Group)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "freeze_time(when): run the test with freezegun's clock frozen at `when`"
    )


@pytest.fixture(autouse=True)
def _freeze_time_mark(request):
    """`pytest.mark.freeze_time("2025-06-30 10:00:00")` (on a test, or a module's pytestmark) freezes
    the clock around the test and the fixtures it requests; the marker's arguments are freezegun's."""
    marker = request.node.get_closest_marker("freeze_time")
    if marker is None:
        yield
        return
    with freeze_time(*marker.args, **marker.kwargs):
        yield


@pytest.fixture
def frozen_today():
    """Today is 2026-11-28 (a Saturday late in the year): `pytest.mark.usefixtures("frozen_today")`."""
    with freeze_time("2026-11-28"):
        yield


@pytest.fixture
def staff_user(db):
    return make_user("staff", Role.DISTRICT_STAFF)


@pytest.fixture
def clerk_user(db):
    """A street clerk of 宁海路街道."""
    return make_user("clerk", Role.STREET_CLERK, CLERK_STREET)


@pytest.fixture
def other_clerk_user(db):
    """A street clerk of 华侨路街道."""
    return make_user("clerk2", Role.STREET_CLERK, OTHER_STREET)


@pytest.fixture
def streetless_clerk_user(db):
    return make_user("clerk_nostreet", Role.STREET_CLERK)


@pytest.fixture
def worker_community(db):
    """宁海路社区 of 宁海路街道: the community of `worker_user`."""
    from core.models import Community, Street

    return Community.objects.get_or_create(
        street=Street.objects.get(name=CLERK_STREET), name=WORKER_COMMUNITY
    )[0]


@pytest.fixture
def other_community(db):
    """颐和路社区: another community of the same street (宁海路街道)."""
    from core.models import Community, Street

    return Community.objects.get_or_create(
        street=Street.objects.get(name=CLERK_STREET), name=OTHER_COMMUNITY
    )[0]


@pytest.fixture
def worker_user(worker_community):
    """A community worker (社区专职委员) of 宁海路社区, 宁海路街道."""
    return make_user("worker", Role.COMMUNITY_WORKER, community=worker_community)


@pytest.fixture
def communityless_worker_user(db):
    return make_user("worker_nocommunity", Role.COMMUNITY_WORKER)


@pytest.fixture
def official_user(db):
    return make_user("official", Role.OFFICIAL)


@pytest.fixture
def admin_user(db):
    user = make_user("sysadmin", Role.ADMIN)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def role_users(staff_user, clerk_user, other_clerk_user, official_user, admin_user, worker_user):
    return {
        "staff": staff_user,
        "clerk": clerk_user,
        "other_clerk": other_clerk_user,
        "official": official_user,
        "admin": admin_user,
        "worker": worker_user,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def api():
    """api(user) -> a DRF test client authenticated as that user (a new client each call)."""

    def _as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _as


@pytest.fixture
def redis_url():
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_redis_worker(transactional_db, redis_url, settings):
    """A real Celery worker (in a thread) consuming from Redis, for tests that queue real tasks.

    Data must be committed to be seen by the worker, hence `transactional_db`.
    """
    from celery.contrib.testing.worker import start_worker

    from gulou_portal.celery import app

    previous = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    _forget_celery_connections(app)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.update(**previous)
        _forget_celery_connections(app)


def _forget_celery_connections(app) -> None:
    """The app caches its result backend and producer pool from the first use; after changing the broker
    and backend URLs, drop them so that the next use builds them from the new configuration."""
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend
    # Not closed: kombu's global producer pools may still hand out the old pool's connections.
    app._pool = None
    app.amqp._producer_pool = None
