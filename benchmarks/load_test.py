"""Bounded load test of the production processes, on loopback only.

    .venv/bin/python benchmarks/load_test.py [--persons 250000] [--reuse] [--users 50] [--think 1.0]
    .venv/bin/python benchmarks/load_test.py --base-url http://127.0.0.1:8000 [--password ...]

Without --base-url it starts the native stack (scripts/stack.sh: gunicorn, Celery worker and beat, production
settings) on a database of its own (--database-url, default gulou_load), fills it with
`generate_demo_data --persons N --seed 1` and computes the indicators when it holds no persons yet (with
--reuse it takes the database as it is; a benchmark database holding other data, whose name contains
"load" or "bench", is regenerated with --flush; any other filled database is refused), runs VACUUM (ANALYZE)
so that autovacuum does not run during the measurement, and stops the stack at the end unless it was
already running.

Then --users virtual users (a third each logged in as demo_official, demo_clerk and demo_staff) each keep
one HTTP/1.1 connection, make each of their requests once untimed (warm-up), and loop: think
(exponential, mean --think seconds; 0 = no pause), then one request of their role:
  official   the KPI dashboard (/indicators/)
  clerk      person search on the list page by a name fragment and by a full ID number, and the
  staff      persons API (/api/registry/persons/?q=...); the clerk's terms come from his street
Search terms come from the API itself before the timed phase (staff and clerk list pages, then detail
records for full ID numbers). The timed phase stops after --requests requests or --duration seconds,
whichever comes first. It prints p50 / p95 / p99 latency (client side, wall time) and requests/s for each
kind of request, the server-side times from gunicorn's access log when it started the stack, and PASS or
FAIL against the goal: p95 < --goal-ms (200) for the dashboard and for search, under 1 % errors. The exit
status is 0 on PASS, 1 on FAIL, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "stack.sh"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEMO_PASSWORD = "Gulou-demo-2025"
ROLE_USERS = {"official": "demo_official", "clerk": "demo_clerk", "staff": "demo_staff"}
SCRUBBED_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "GUNICORN_", "DB_CONN", "STACK_")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What each role does, with weights (a search by name is the most common thing a clerk does).
ACTIONS = {
    "official": [("dashboard", 1)],
    "clerk": [("search by name", 3), ("search by ID number", 2), ("API search", 1)],
    "staff": [("search by name", 3), ("search by ID number", 2), ("API search", 1)],
}
GOAL_GROUPS = {"dashboard": ("dashboard",), "search": ("search by name", "search by ID number")}


class LoadTestError(Exception):
    pass


# ---- HTTP: one keep-alive connection and a cookie jar per virtual user ------------------------------


class Client:
    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        # A kept-alive connection the server has closed fails on first use: reconnect once.
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if response.headers.get("Connection", "").lower() == "close":
                self.close()
            return response.status, dict(response.headers), data
        raise AssertionError("unreachable")

    def log_in(self, username: str, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        match = CSRF_INPUT.search(page.decode())
        if status != 200 or not match:
            raise LoadTestError(f"the login page answered {status}")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password, "next": "/"}
        )
        status, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise LoadTestError(f"{username} could not log in (HTTP {status}): demo users and password?")

    def get_json(self, path: str) -> dict:
        status, _, data = self.request("GET", path)
        if status != 200:
            raise LoadTestError(f"GET {path} answered {status}")
        return json.loads(data)


# ---- the stack and its data ---------------------------------------------------------------------------


def python_with_django() -> str:
    """The project's virtualenv like scripts/stack.sh (this script itself needs the standard library only)."""
    venv_python = Path(os.environ.get("VENV", ROOT / ".venv")) / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


@dataclass
class Stack:
    args: argparse.Namespace
    env: dict = field(default_factory=dict)
    started_here: bool = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.args.port}"

    @property
    def web_log(self) -> Path:
        return Path(self.args.stack_dir) / "logs" / "web.log"

    def prepare_env(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
        secret_file = Path(self.args.stack_dir) / "secret_key"
        secret = secret_file.read_text().strip() if secret_file.exists() else secrets.token_urlsafe(64)
        env.update(
            STACK_DIR=self.args.stack_dir,
            STACK_PORT=str(self.args.port),
            DJANGO_SETTINGS_MODULE="gulou_portal.settings.production",
            DJANGO_SECRET_KEY=secret,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_COOKIES="false",
            DATABASE_URL=self.args.database_url,
            CELERY_BROKER_URL=self.args.redis_url,
            REDIS_URL=self.args.redis_url,
            GUNICORN_WORKERS=str(self.args.gunicorn_workers),
            GUNICORN_THREADS=str(self.args.gunicorn_threads),
        )
        self.env = env

    def stack(self, command: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(STACK), command], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=900
        )
        if check and result.returncode != 0:
            raise LoadTestError(f"scripts/stack.sh {command} failed:\n{result.stdout}{result.stderr}")
        return result

    def manage(self, *args: str, stream: bool = False) -> str:
        command = [python_with_django(), "manage.py", *args]
        if stream:  # long commands (demo data) show their progress
            result = subprocess.run(command, cwd=ROOT, env=self.env, stdout=sys.stderr, text=True)
            output = ""
        else:
            result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
            output = result.stdout
        if result.returncode != 0:
            raise LoadTestError(f"manage.py {' '.join(args)} failed:\n{output}{result.stderr or ''}")
        return output

    def start(self) -> None:
        Path(self.args.stack_dir).mkdir(parents=True, exist_ok=True)
        self.prepare_env()
        already = self.stack("status", check=False).returncode == 0
        if not already:
            say(f"starting the stack at {self.base_url} (database {self.args.database_url})")
            self.stack("start")
            self.started_here = True
        else:
            say(f"the stack already runs at {self.base_url}: using it")

    def stop(self) -> None:
        if self.started_here and not self.args.keep_running:
            self.stack("stop", check=False)
            say("stack stopped")

    def fill(self) -> None:
        state = json.loads(
            self.manage(
                "shell",
                "-c",
                "import json; from registry.models import Person; from indicators.models import IndicatorRun; "
                "print(json.dumps({'persons': Person.objects.count(), "
                "'runs': IndicatorRun.objects.filter(status='succeeded').count()}))",
            )
            .strip()
            .splitlines()[-1]
        )
        name = urllib.parse.urlsplit(self.args.database_url).path.lstrip("/")
        if self.args.reuse:
            if not state["persons"]:
                raise LoadTestError(f"--reuse: database {name} holds no persons")
            say(f"reusing database {name}: {state['persons']:,} persons")
        else:
            flush = []
            if state["persons"]:
                if "load" not in name and "bench" not in name:
                    raise LoadTestError(
                        f"database {name} already holds {state['persons']:,} persons: pass --reuse to use "
                        "them, or a benchmark database (its name containing 'load' or 'bench')"
                    )
                flush = ["--flush"]
            say(f"generating {self.args.persons:,} demo persons (seed {self.args.seed}) into {name}")
            started = time.monotonic()
            self.manage(
                "generate_demo_data", "--persons", str(self.args.persons), "--seed", str(self.args.seed),
                *flush, stream=True,
            )  # fmt: skip
            say(f"demo data generated in {time.monotonic() - started:.0f} s")
            state["runs"] = 0
        if not state["runs"]:
            say("computing the indicators for the dashboard")
            self.manage("compute_indicators")
        # A freshly loaded database would be vacuumed by autovacuum during the timed phase: settle it first,
        # as an operator does after a bulk load.
        say("VACUUM (ANALYZE) before the timed phase")
        self.manage(
            "shell",
            "-c",
            "from django.db import connection\n"
            "if connection.vendor == 'postgresql':\n"
            "    connection.cursor().execute('VACUUM (ANALYZE)')",
        )


# ---- the virtual users --------------------------------------------------------------------------------


@dataclass
class Terms:
    names: list[str]
    id_numbers: list[str]
    visible_persons: int


def collect_terms(base_url: str, username: str, password: str, rng: random.Random, count: int) -> Terms:
    """Name fragments and full ID numbers the user may see, read through the API like any client."""
    client = Client(base_url)
    client.log_in(username, password)
    first = client.get_json("/api/registry/persons/?ordering=id")
    pages = max(1, math.ceil(first["count"] / max(1, len(first["results"]))))
    persons = list(first["results"])
    for page in rng.sample(range(1, pages + 1), min(pages, 8)):
        persons += client.get_json(f"/api/registry/persons/?ordering=id&page={page}")["results"]
    if not persons:
        raise LoadTestError(f"{username} sees no persons")
    chosen = rng.sample(persons, min(count, len(persons)))
    # a clerk types the surname and the first character of the given name
    names = sorted({person["name"][:2] for person in chosen})
    id_numbers = [client.get_json(f"/api/registry/persons/{p['id']}/")["id_number"] for p in chosen[:count]]
    client.close()
    return Terms(names=names, id_numbers=id_numbers, visible_persons=first["count"])


@dataclass
class Budget:
    requests: int
    deadline: float
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        with self.lock:
            if self.requests <= 0 or time.monotonic() >= self.deadline:
                return False
            self.requests -= 1
            return True


@dataclass
class Sample:
    action: str
    role: str
    seconds: float
    ok: bool


def path_for(action: str, terms: Terms, rng: random.Random) -> str:
    if action == "dashboard":
        return "/indicators/"
    if action == "search by name":
        return "/registry/persons/?" + urllib.parse.urlencode({"q": rng.choice(terms.names)})
    if action == "search by ID number":
        return "/registry/persons/?" + urllib.parse.urlencode({"q": rng.choice(terms.id_numbers)})
    return "/api/registry/persons/?" + urllib.parse.urlencode({"q": rng.choice(terms.names)})


def virtual_user(
    *,
    role: str,
    client: Client,
    terms: Terms | None,
    think: float,
    seed: int,
    start: threading.Barrier,
    budget: Budget,
    samples: list[Sample],
) -> None:
    rng = random.Random(seed)
    actions, weights = zip(*ACTIONS[role], strict=True)
    for action in actions:  # warm-up, untimed: each process's caches and database connections
        with contextlib.suppress(OSError, http.client.HTTPException):
            client.request("GET", path_for(action, terms, rng) if terms else "/indicators/")
    start.wait()
    if think:
        time.sleep(rng.uniform(0, think))  # users do not all click at the same instant
    while budget.take():
        action = rng.choices(actions, weights)[0]
        path = path_for(action, terms, rng) if terms else "/indicators/"
        began = time.perf_counter()
        try:
            status, _, _ = client.request("GET", path)
            ok = status == 200
        except (OSError, http.client.HTTPException):
            client.close()
            ok = False
        samples.append(Sample(action, role, time.perf_counter() - began, ok))
        if think:
            time.sleep(min(rng.expovariate(1 / think), 5 * think))
    client.close()


# ---- figures ---------------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(samples: list[Sample], elapsed: float) -> dict[str, dict]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[f"{sample.action} ({sample.role})"].append(sample)
        groups[sample.action].append(sample)
    groups["all requests"] = samples
    summary = {}
    for label, group in groups.items():
        times = sorted(s.seconds * 1000 for s in group)
        summary[label] = {
            "requests": len(group),
            "errors": sum(not s.ok for s in group),
            "rps": len(group) / elapsed if elapsed else math.nan,
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": times[-1] if times else math.nan,
        }
    return summary


def server_times(log: Path, offset: int) -> dict[str, dict]:
    """gunicorn's access log (one JSON object a line, duration_ms) for the requests of the timed phase."""
    by_path: dict[str, list[float]] = defaultdict(list)
    with log.open("rb") as handle:
        handle.seek(offset)
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") != "gunicorn.access" or "duration_ms" not in entry:
                continue
            path = entry["path"]
            if path.startswith("/api/registry/persons/"):
                key = "API /api/registry/persons/"
            elif path.startswith("/registry/persons/"):
                key = "list /registry/persons/"
            elif path.startswith("/indicators/"):
                key = "dashboard /indicators/"
            else:
                continue
            by_path[key].append(float(entry["duration_ms"]))
    result = {}
    for key, values in by_path.items():
        values.sort()
        result[key] = {
            "requests": len(values),
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }
    return result


def say(message: str) -> None:
    print(f"load_test: {message}", file=sys.stderr, flush=True)


def print_report(args, summary: dict, server: dict, elapsed: float, persons_note: str) -> bool:
    print(
        f"\n{args.users} users, think time {args.think:g} s, {summary['all requests']['requests']:,} requests "
        f"in {elapsed:.1f} s ({summary['all requests']['rps']:.1f} requests/s){persons_note}"
    )
    header = f"{'request':<40} {'count':>7} {'err':>5} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    order = sorted(summary, key=lambda label: (label == "all requests", "(" not in label, label))
    for label in order:
        row = summary[label]
        print(
            f"{label:<40} {row['requests']:>7} {row['errors']:>5} {row['rps']:>7.1f} "
            f"{row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f}"
        )
    if server:
        print("\nserver side (gunicorn access log, duration_ms)")
        for key, row in sorted(server.items()):
            print(
                f"{key:<40} {row['requests']:>7} {'':>5} {'':>7} "
                f"{row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f}"
            )
    passed = True
    print()
    for goal, actions in GOAL_GROUPS.items():
        times = [summary[a] for a in actions if a in summary]
        worst = max((row["p95"] for row in times), default=math.nan)
        ok = bool(times) and worst < args.goal_ms
        passed &= ok
        print(f"{'PASS' if ok else 'FAIL'} {goal}: p95 {worst:.1f} ms (goal < {args.goal_ms:g} ms)")
    total = summary["all requests"]
    error_rate = total["errors"] / total["requests"] if total["requests"] else 1.0
    ok = error_rate < 0.01
    passed &= ok
    print(f"{'PASS' if ok else 'FAIL'} errors: {error_rate:.2%} (goal < 1 %)")
    return passed


# ---- main ------------------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="a running stack on loopback (default: start one)")
    parser.add_argument("--persons", type=int, default=250_000, help="demo persons to generate (250000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="use the database as it is (already filled)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/gulou_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--stack-dir", default="/tmp/gulou-load")
    parser.add_argument("--gunicorn-workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 3)))
    parser.add_argument("--gunicorn-threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 4)))
    parser.add_argument("--keep-running", action="store_true", help="leave the stack running at the end")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="the demo users' password")
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users (50)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time in seconds (1.0)")
    parser.add_argument("--requests", type=int, default=4000, help="stop after this many requests (4000)")
    parser.add_argument("--duration", type=float, default=120, help="stop after this many seconds (120)")
    parser.add_argument("--goal-ms", type=float, default=200, help="p95 goal for dashboard and search")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args(argv)
    if args.users < 1 or args.requests < 1 or args.duration <= 0 or args.think < 0:
        parser.error("--users, --requests and --duration must be positive, --think not negative")
    if args.base_url:
        host = urllib.parse.urlsplit(args.base_url).hostname
        if host not in LOOPBACK:
            parser.error(f"--base-url must be on loopback ({', '.join(sorted(LOOPBACK))}), not {host}")
    return args


def run(args: argparse.Namespace) -> bool:
    rng = random.Random(args.seed)
    stack = None
    if args.base_url:
        base_url = args.base_url.rstrip("/")
    else:
        stack = Stack(args)
        stack.start()
        base_url = stack.base_url
    try:
        if stack is not None:
            stack.fill()
        say("collecting search terms through the API")
        terms = {
            role: collect_terms(base_url, ROLE_USERS[role], args.password, rng, count=60)
            for role in ("clerk", "staff")
        }
        roles = [("official", "clerk", "staff")[index % 3] for index in range(args.users)]
        say(f"logging in {args.users} virtual users")
        clients = []
        for role in roles:
            client = Client(base_url)
            client.log_in(ROLE_USERS[role], args.password)
            clients.append(client)
        samples: list[Sample] = []
        start = threading.Barrier(args.users + 1)
        budget = Budget(requests=args.requests, deadline=math.inf)
        threads = [
            threading.Thread(
                target=virtual_user,
                kwargs={
                    "role": role,
                    "client": client,
                    "terms": terms.get(role),
                    "think": args.think,
                    "seed": args.seed * 1000 + index,
                    "start": start,
                    "budget": budget,
                    "samples": samples,
                },
                daemon=True,
            )
            for index, (role, client) in enumerate(zip(roles, clients, strict=True))
        ]
        for thread in threads:
            thread.start()
        log_offset = stack.web_log.stat().st_size if stack and stack.web_log.exists() else None
        say(f"timed phase: at most {args.requests:,} requests or {args.duration:g} s")
        began = time.monotonic()
        budget.deadline = began + args.duration
        start.wait()
        for thread in threads:
            thread.join(timeout=max(0.0, budget.deadline - time.monotonic()) + 60)
        elapsed = time.monotonic() - began
        if not samples:
            raise LoadTestError("no request was made")
        summary = summarize(samples, elapsed)
        server = server_times(stack.web_log, log_offset) if log_offset is not None else {}
        note = f", {terms['staff'].visible_persons:,} persons in the register"
        passed = print_report(args, summary, server, elapsed, note)
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {"users": args.users, "think": args.think, "elapsed": elapsed, "client": summary,
                     "server": server, "passed": passed},
                    indent=2,
                    ensure_ascii=False,
                )
            )  # fmt: skip
        return passed
    finally:
        if stack is not None:
            with contextlib.suppress(Exception):
                stack.stop()


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        return 0 if run(args) else 1
    except (LoadTestError, OSError) as error:
        say(str(error))
        return 2


if __name__ == "__main__":
    sys.exit(main())
