"""The load test's virtual users, for Locust (benchmarks/load_test.py runs them headless).

Three kinds of users, in equal numbers, each logged in through the login form:
  official  (demo_official)  the KPI dashboard (/indicators/)
  clerk     (demo_clerk)     person search on the list page by a name fragment (3 in 6 requests) and by a
  staff     (demo_staff)     full ID number (2 in 6), and through the persons API (/api/registry/persons/?q=,
                             1 in 6); the clerk's terms come from his street
Each user logs in, makes each of its requests once (the warm-up: load_test.py resets the figures after it),
then loops: one request, then a pause (THINK: exponential, mean 1 s, capped at 5 s; 0 = none; or PACING: one
request every so many seconds, for the saturation run). Search terms are read through the API before the
first user starts. Only a stack on loopback is driven.

benchmarks/load_test.py starts the stack, fills it, sets these knobs and prints PASS/FAIL. Against a stack
that already runs on loopback the file also works with Locust's own command line, for instance

    .venv/bin/locust -f benchmarks/locustfile.py --headless --host http://127.0.0.1:8800 -u 30 -r 10 -t 60s
"""

from __future__ import annotations

import logging
import math
import os
import random
import re
import urllib.parse
from dataclasses import dataclass, field

import gevent
import gevent.lock
from locust import FastHttpUser, constant_pacing, events, task
from locust.clients import HttpSession
from locust.event import EventHook
from locust.exception import StopUser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEMO_PASSWORD = "Gulou-demo-2025"
ROLE_USERS = {"official": "demo_official", "clerk": "demo_clerk", "staff": "demo_staff"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_ACTIONS = ("search by name", "search by ID number", "API search")
# Password hashing is slow by design: a few log-ins at a time, or dozens at once time out on 2 vCPUs.
LOGIN_SLOTS = gevent.lock.BoundedSemaphore(4)


class LoadTestError(Exception):
    pass


@dataclass
class Terms:
    names: list[str]
    id_numbers: list[str]
    visible_persons: int


@dataclass
class Settings:
    """What load_test.py (or the environment, under Locust's command line) sets before the users start."""

    password: str = os.environ.get("LOAD_TEST_PASSWORD", DEMO_PASSWORD)
    think: float = float(os.environ.get("LOAD_TEST_THINK", 1.0))  # mean pause between requests, seconds
    pacing: float = 0.0  # > 0: one request every `pacing` seconds per user instead of think time
    seed: int = 1
    terms: dict[str, Terms] = field(default_factory=dict)
    started: int = 0  # users that began to log in
    ready: int = 0  # users that have logged in and warmed up
    failed: int = 0  # users whose log-in or warm-up failed


SETTINGS = Settings()


def is_loopback(url: str | None) -> bool:
    return bool(url) and urllib.parse.urlsplit(url).hostname in LOOPBACK


def log_in(client, username: str, password: str) -> None:
    """The login form, through either of Locust's clients (both keep the cookies)."""
    page = client.get("/accounts/login/", name="login form")
    match = CSRF_INPUT.search(page.text or "")
    if page.status_code != 200 or not match:
        raise LoadTestError(f"the login page answered {page.status_code} {page.error or ''}")
    form = {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password, "next": "/"}
    answer = client.post("/accounts/login/", data=form, allow_redirects=False, name="login")
    if answer.status_code != 302:
        reason = answer.error or "demo users and password?"
        raise LoadTestError(f"{username} could not log in (HTTP {answer.status_code}): {reason}")


def collect_terms(base_url: str, role: str, password: str, rng: random.Random, count: int = 60) -> Terms:
    """Name fragments and full ID numbers the role's user may see, read through the API like any client."""
    # Locust's requests-based client, outside any user: its figures go to an event nobody listens to.
    with HttpSession(base_url.rstrip("/"), request_event=EventHook(), user=None) as session:
        log_in(session, ROLE_USERS[role], password)

        def get_json(path: str) -> dict:
            response = session.get(path, timeout=60)
            if response.status_code != 200:
                raise LoadTestError(f"GET {path} answered {response.status_code}")
            return response.json()

        first = get_json("/api/registry/persons/?ordering=id")
        pages = max(1, math.ceil(first["count"] / max(1, len(first["results"]))))
        persons = list(first["results"])
        for page in rng.sample(range(1, pages + 1), min(pages, 8)):
            persons += get_json(f"/api/registry/persons/?ordering=id&page={page}")["results"]
        if not persons:
            raise LoadTestError(f"{ROLE_USERS[role]} sees no persons")
        chosen = rng.sample(persons, min(count, len(persons)))
        # a clerk types the surname and the first character of the given name
        names = sorted({person["name"][:2] for person in chosen})
        id_numbers = [get_json(f"/api/registry/persons/{p['id']}/")["id_number"] for p in chosen]
    return Terms(names=names, id_numbers=id_numbers, visible_persons=first["count"])


def prepare(base_url: str) -> None:
    """Read the search terms once, before any user starts."""
    if not is_loopback(base_url):
        raise LoadTestError(f"the load test drives a stack on loopback only ({', '.join(sorted(LOOPBACK))})")
    if not SETTINGS.terms:
        rng = random.Random(SETTINGS.seed)
        SETTINGS.terms = {
            role: collect_terms(base_url, role, SETTINGS.password, rng) for role in ("clerk", "staff")
        }


@events.test_start.add_listener
def _on_test_start(environment, **_kwargs) -> None:
    try:
        prepare(environment.host)
    except (LoadTestError, ValueError) as error:
        logging.error("load test: %s", error)
        environment.process_exit_code = 2
        if environment.runner is not None:
            gevent.spawn_later(0, environment.runner.quit)
        raise


class PortalUser(FastHttpUser):
    abstract = True
    role = ""
    network_timeout = 60.0
    connection_timeout = 60.0

    def __init__(self, environment) -> None:
        super().__init__(environment)
        self.rng = random.Random()
        self._pacing = constant_pacing(SETTINGS.pacing) if SETTINGS.pacing > 0 else None

    def wait_time(self) -> float:
        if self._pacing is not None:
            return self._pacing(self)
        if not SETTINGS.think:
            return 0
        return min(self.rng.expovariate(1 / SETTINGS.think), 5 * SETTINGS.think)

    def on_start(self) -> None:
        if not is_loopback(self.host):  # never a request elsewhere, whatever started the user
            raise StopUser()
        SETTINGS.started += 1
        try:
            with LOGIN_SLOTS:
                log_in(self.client, ROLE_USERS[self.role], SETTINGS.password)
            for action in self.actions():  # warm-up: each process's caches and database connections
                self.fetch(action)
        except BaseException:
            SETTINGS.failed += 1
            raise
        SETTINGS.ready += 1
        # users do not all click at the same instant
        gevent.sleep(self.rng.uniform(0, SETTINGS.pacing or SETTINGS.think))

    def actions(self) -> tuple[str, ...]:
        raise NotImplementedError

    def path_for(self, action: str) -> str:
        if action == "dashboard":
            return "/indicators/"
        terms = SETTINGS.terms[self.role]
        if action == "search by name":
            return "/registry/persons/?" + urllib.parse.urlencode({"q": self.rng.choice(terms.names)})
        if action == "search by ID number":
            return "/registry/persons/?" + urllib.parse.urlencode({"q": self.rng.choice(terms.id_numbers)})
        return "/api/registry/persons/?" + urllib.parse.urlencode({"q": self.rng.choice(terms.names)})

    def fetch(self, action: str) -> None:
        # Only a 200 counts: a redirect to the login page (a lost session) is an error, not a fast answer.
        with self.client.get(
            self.path_for(action), name=f"{action} ({self.role})", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class OfficialUser(PortalUser):
    role = "official"

    def actions(self) -> tuple[str, ...]:
        return ("dashboard",)

    @task
    def dashboard(self) -> None:
        self.fetch("dashboard")


class SearchUser(PortalUser):
    abstract = True

    def actions(self) -> tuple[str, ...]:
        return SEARCH_ACTIONS

    @task(3)
    def search_by_name(self) -> None:
        self.fetch("search by name")

    @task(2)
    def search_by_id_number(self) -> None:
        self.fetch("search by ID number")

    @task(1)
    def api_search(self) -> None:
        self.fetch("API search")


class ClerkUser(SearchUser):
    role = "clerk"


class StaffUser(SearchUser):
    role = "staff"


USER_CLASSES = [OfficialUser, ClerkUser, StaffUser]
