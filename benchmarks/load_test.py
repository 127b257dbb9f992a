"""Bounded load test of the production processes, on loopback only, with Locust running the users.

    .venv/bin/python benchmarks/load_test.py [--persons 250000] [--reuse] [--users 50] [--think 1.0]
    .venv/bin/python benchmarks/load_test.py --reuse --saturate [--step-users 9] [--max-users 200]
    .venv/bin/python benchmarks/load_test.py --base-url http://127.0.0.1:8000 [--password ...]

Locust (`pip install -e .[bench]`) runs the virtual users of benchmarks/locustfile.py in this process,
headless: at most --max-users users (never more than 400), for a bounded time, against 127.0.0.1 only.

Without --base-url it starts the native stack (scripts/stack.sh: gunicorn, Celery worker and beat, production
settings) on a database of its own (--database-url, default gulou_load), fills it with
`generate_demo_data --persons N --seed 1` and computes the indicators when it holds no persons yet (with
--reuse it takes the database as it is; a benchmark database holding other data, whose name contains
"load" or "bench", is regenerated with --flush; any other filled database is refused), runs VACUUM (ANALYZE)
so that autovacuum does not run during the measurement, and stops the stack at the end unless it was
already running.

The users (a third each logged in as demo_official, demo_clerk and demo_staff) log in, make each of their
requests once (warm-up, not counted), and loop: one request of their role, then think (exponential, mean
--think seconds; 0 = no pause):
  official   the KPI dashboard (/indicators/)
  clerk      person search on the list page by a name fragment and by a full ID number, and the
  staff      persons API (/api/registry/persons/?q=...); the clerk's terms come from his street
Search terms come from the API itself before the timed phase (staff and clerk list pages, then detail
records for full ID numbers).

The fixed run (default): --users users; the timed phase stops after --requests requests or --duration
seconds, whichever comes first. It prints p50 / p95 / p99 latency (client side, wall time) and requests/s
for each kind of request, the server-side times from gunicorn's access log when it started the stack, and
PASS or FAIL against the goal: p95 < --goal-ms (200) for the dashboard and for search, under 1 % errors.

The saturation run (--saturate): each user makes one request every --pacing seconds (1.0), so the offered
load is users / pacing requests/s; the users grow by --step-users from --step-users up to --max-users, each
step measured for --step-seconds after its users have warmed up, until a step misses the goal; then
--refine steps bisect between the last step that met it and the first that did not. It prints each step
and the requests/s served at the busiest step that still met the goal (p95 < --goal-ms for dashboard and
search, under 1 % errors).

Exit status: 0 on PASS (saturation: a rate was found), 1 on FAIL, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

try:
    import gevent
    import locustfile  # benchmarks/locustfile.py; importing Locust lets gevent patch the standard library
    from locust import events
    from locust.env import Environment
    from locust.stats import RequestStats, StatsEntry
    from locustfile import SETTINGS, LoadTestError
except ModuleNotFoundError as missing:  # the optional dependency group, not installed by default
    sys.exit(
        f"load_test: {missing.name} is missing; install the bench extras: .venv/bin/pip install -e '.[bench]'"
    )

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "stack.sh"
SCRUBBED_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "GUNICORN_", "DB_CONN", "STACK_")
GOAL_GROUPS = {"dashboard": ("dashboard",), "search": ("search by name", "search by ID number")}
LOGIN_REQUESTS = {"login form", "login"}
MAX_USERS = 400  # the bound on virtual users, whatever the arguments
MAX_SECONDS = 1800  # the bound on one timed phase or one saturation step


# ---- the stack and its data ---------------------------------------------------------------------------


def python_with_django() -> str:
    """The project's virtualenv like scripts/stack.sh."""
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


# ---- running the users ---------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"load_test: {message}", file=sys.stderr, flush=True)


def ramp_to(runner, users: int, spawn_rate: float, timeout: float = 300) -> None:
    """Start or stop users until `users` run, and wait until every new one has logged in and warmed up."""
    runner.start(users, spawn_rate=spawn_rate)
    deadline = time.monotonic() + timeout
    while True:
        gevent.sleep(0.2)
        if SETTINGS.failed:
            raise LoadTestError(f"{SETTINGS.failed} users could not log in or warm up (see the errors above)")
        spawned = runner.spawning_greenlet is None or runner.spawning_greenlet.ready()
        if spawned and runner.user_count == users and SETTINGS.ready >= SETTINGS.started:
            return
        if time.monotonic() > deadline:
            raise LoadTestError(f"{users} users were not ready after {timeout:g} s")


def measure(environment: Environment, seconds: float, max_requests: float) -> tuple[float, float]:
    """Reset the figures, let the users run for `seconds` or `max_requests` requests: the elapsed time, and
    the share of one core this process (Locust) used meanwhile, so that a busy load generator shows."""
    environment.stats.reset_all()
    began, cpu_began = time.monotonic(), time.process_time()
    while True:
        gevent.sleep(0.1)
        elapsed = time.monotonic() - began
        if elapsed >= seconds or environment.stats.total.num_requests >= max_requests:
            return elapsed, (time.process_time() - cpu_began) / elapsed


def summarize(stats: RequestStats, elapsed: float) -> dict[str, dict]:
    """Locust's entries ("<action> (<role>)"), merged per action and overall, as plain figures."""
    merged: dict[str, StatsEntry] = {}
    for entry in list(stats.entries.values()):
        if entry.name in LOGIN_REQUESTS or not entry.num_requests:
            continue
        action = entry.name.rsplit(" (", 1)[0]
        for label in (entry.name, action, "all requests"):
            if label not in merged:
                merged[label] = StatsEntry(stats, label, entry.method)
            merged[label].extend(entry)
    return {
        label: {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "rps": entry.num_requests / elapsed if elapsed else math.nan,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
            "max": entry.max_response_time,
        }
        for label, entry in merged.items()
    }


def goal_figures(summary: dict[str, dict], goal_ms: float) -> dict:
    """The worst p95 of each goal group, the error rate, and whether all meet the goal."""
    figures = {}
    for goal, actions in GOAL_GROUPS.items():
        rows = [summary[action] for action in actions if action in summary]
        figures[goal] = max((row["p95"] for row in rows), default=math.nan)
    total = summary.get("all requests", {"requests": 0, "errors": 0})
    figures["errors"] = total["errors"] / total["requests"] if total["requests"] else 1.0
    figures["ok"] = all(figures[goal] < goal_ms for goal in GOAL_GROUPS) and figures["errors"] < 0.01
    return figures


def server_times(log: Path, offset: int) -> dict[str, dict]:
    """gunicorn's access log (one JSON object a line, duration_ms) for the requests of the timed phase."""
    by_path: dict[str, list[float]] = {}
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
            by_path.setdefault(key, []).append(float(entry["duration_ms"]))
    result = {}
    for key, values in by_path.items():
        values.sort()

        def rank(fraction: float, values=values) -> float:  # nearest rank
            return values[max(1, math.ceil(fraction * len(values))) - 1]

        result[key] = {"requests": len(values), "p50": rank(0.5), "p95": rank(0.95), "p99": rank(0.99)}
    return result


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def print_report(args, summary: dict, server: dict, elapsed: float, header: str) -> bool:
    total = summary["all requests"]
    print(
        f"\n{header}\n{args.users} users, think time {args.think:g} s, {total['requests']:,} requests "
        f"in {elapsed:.1f} s ({total['rps']:.1f} requests/s)"
    )
    columns = (
        f"{'request':<40} {'count':>7} {'err':>5} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    print(columns)
    print("-" * len(columns))
    order = sorted(summary, key=lambda label: (label == "all requests", "(" not in label, label))
    for label in order:
        row = summary[label]
        print(
            f"{label:<40} {row['requests']:>7} {row['errors']:>5} {row['rps']:>7.1f} "
            f"{row['p50']:>8.0f} {row['p95']:>8.0f} {row['p99']:>8.0f}"
        )
    if server:
        print("\nserver side (gunicorn access log, duration_ms)")
        for key, row in sorted(server.items()):
            print(
                f"{key:<40} {row['requests']:>7} {'':>5} {'':>7} "
                f"{row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f}"
            )
    figures = goal_figures(summary, args.goal_ms)
    print()
    for goal in GOAL_GROUPS:
        ok = figures[goal] < args.goal_ms
        print(f"{'PASS' if ok else 'FAIL'} {goal}: p95 {figures[goal]:.0f} ms (goal < {args.goal_ms:g} ms)")
    ok = figures["errors"] < 0.01
    print(f"{'PASS' if ok else 'FAIL'} errors: {figures['errors']:.2%} (goal < 1 %)")
    return figures["ok"]


def fixed_run(args, environment: Environment, stack: Stack | None, header: str) -> tuple[bool, dict]:
    say(f"starting {args.users} virtual users (log-in and warm-up)")
    ramp_to(environment.runner, args.users, args.spawn_rate)
    log_offset = stack.web_log.stat().st_size if stack and stack.web_log.exists() else None
    say(f"timed phase: at most {args.requests:,} requests or {args.duration:g} s")
    elapsed, client_cpu = measure(environment, args.duration, args.requests)
    summary = summarize(environment.stats, elapsed)
    if not summary:
        raise LoadTestError("no request was made")
    server = server_times(stack.web_log, log_offset) if log_offset is not None else {}
    passed = print_report(args, summary, server, elapsed, header)
    print(f"Locust used {client_cpu:.0%} of a core; load average at the end {loadavg()}")
    return passed, {"users": args.users, "think": args.think, "elapsed": elapsed, "client": summary,
                    "server": server, "client_cpu": client_cpu}  # fmt: skip


def saturation_run(args, environment: Environment, header: str) -> tuple[bool, dict]:
    runner = environment.runner
    print(
        f"\n{header}\nsaturation: each user one request every {args.pacing:g} s, {args.step_seconds:g} s a step"
    )
    columns = (
        f"{'users':>5} {'offered/s':>9} {'served/s':>8} {'dash p95':>8} {'search p95':>10} "
        f"{'all p50':>7} {'all p95':>7} {'errors':>7} {'Locust':>6}  {'load average':<16} verdict"
    )
    print(columns)
    print("-" * len(columns))
    steps: list[dict] = []

    def step(users: int) -> dict:
        ramp_to(runner, users, args.spawn_rate)
        gevent.sleep(args.pacing)  # the new users' first requests spread over one pacing interval
        elapsed, client_cpu = measure(environment, args.step_seconds, math.inf)
        summary = summarize(environment.stats, elapsed)
        figures = goal_figures(summary, args.goal_ms)
        total = summary.get("all requests", {"rps": 0.0, "p50": math.nan, "p95": math.nan})
        row = {
            "users": users, "offered_rps": users / args.pacing, "served_rps": total["rps"],
            "dashboard_p95": figures["dashboard"], "search_p95": figures["search"], "p50": total["p50"],
            "p95": total["p95"], "errors": figures["errors"], "ok": figures["ok"], "loadavg": loadavg(),
            "client_cpu": client_cpu, "client": summary,
        }  # fmt: skip
        print(
            f"{users:>5} {row['offered_rps']:>9.1f} {row['served_rps']:>8.1f} {row['dashboard_p95']:>8.0f} "
            f"{row['search_p95']:>10.0f} {row['p50']:>7.0f} {row['p95']:>7.0f} {row['errors']:>7.2%} "
            f"{client_cpu:>6.0%}  "
            f"{row['loadavg']:<16} {'meets the goal' if row['ok'] else 'misses the goal'}",
            flush=True,
        )
        steps.append(row)
        return row

    last_ok = first_miss = None
    users = args.step_users
    while users <= args.max_users:
        row = step(users)
        if not row["ok"]:
            first_miss = row
            break
        last_ok = row
        users += args.step_users
    for _ in range(args.refine):
        if last_ok is None or first_miss is None:
            break
        middle = (last_ok["users"] + first_miss["users"]) // 2
        if middle in (last_ok["users"], first_miss["users"]):
            break
        row = step(middle)
        if row["ok"]:
            last_ok = row
        else:
            first_miss = row
    print()
    met = [row for row in steps if row["ok"]]
    best = max(met, key=lambda row: row["served_rps"], default=None)
    if best is None:
        print(f"FAIL saturation: already {args.step_users} users miss the goal (p95 < {args.goal_ms:g} ms)")
    else:
        print(
            f"PASS saturation: {best['served_rps']:.1f} requests/s served with p95 < {args.goal_ms:g} ms "
            f"(dashboard {best['dashboard_p95']:.0f} ms, search {best['search_p95']:.0f} ms, {best['users']} users)"
        )
        if first_miss is not None:
            print(
                f"     beyond: {first_miss['served_rps']:.1f} requests/s served at {first_miss['users']} users, "
                f"p95 dashboard {first_miss['dashboard_p95']:.0f} ms, search {first_miss['search_p95']:.0f} ms"
            )
        else:
            print(f"     the goal still held at --max-users {args.max_users}: the stack was not saturated")
    result = {"pacing": args.pacing, "step_seconds": args.step_seconds, "steps": steps,
              "saturation_rps": best["served_rps"] if best else None}  # fmt: skip
    return best is not None, result


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
    parser.add_argument("--password", default=locustfile.DEMO_PASSWORD, help="the demo users' password")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second (20)")
    parser.add_argument("--goal-ms", type=float, default=200, help="p95 goal for dashboard and search")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    fixed = parser.add_argument_group("the fixed run")
    fixed.add_argument("--users", type=int, default=50, help="concurrent virtual users (50)")
    fixed.add_argument("--think", type=float, default=1.0, help="mean think time in seconds (1.0)")
    fixed.add_argument("--requests", type=int, default=4000, help="stop after this many requests (4000)")
    fixed.add_argument("--duration", type=float, default=120, help="stop after this many seconds (120)")
    saturation = parser.add_argument_group("the saturation run")
    saturation.add_argument("--saturate", action="store_true", help="step the load up instead of a fixed run")
    saturation.add_argument(
        "--pacing", type=float, default=1.0, help="seconds between a user's requests (1.0)"
    )
    saturation.add_argument("--step-users", type=int, default=9, help="users added per step (9)")
    saturation.add_argument("--max-users", type=int, default=200, help="stop stepping here (200)")
    saturation.add_argument("--step-seconds", type=float, default=30, help="measured seconds per step (30)")
    saturation.add_argument("--refine", type=int, default=2, help="bisecting steps after the first miss (2)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.requests < 1 or args.duration <= 0 or args.think < 0:
        parser.error("--users, --requests and --duration must be positive, --think not negative")
    if (
        args.pacing <= 0
        or args.step_users < 1
        or args.step_seconds <= 0
        or args.refine < 0
        or args.spawn_rate <= 0
    ):
        parser.error("--pacing, --step-users, --step-seconds and --spawn-rate must be positive")
    if args.saturate and args.step_users < len(locustfile.USER_CLASSES):
        parser.error(f"--step-users: at least {len(locustfile.USER_CLASSES)} (a user of each role)")
    if max(args.users, args.max_users) > MAX_USERS or max(args.duration, args.step_seconds) > MAX_SECONDS:
        parser.error(f"at most {MAX_USERS} users and {MAX_SECONDS} s a phase")
    if args.base_url and not locustfile.is_loopback(args.base_url):
        host = urllib.parse.urlsplit(args.base_url).hostname
        parser.error(f"--base-url must be on loopback ({', '.join(sorted(locustfile.LOOPBACK))}), not {host}")
    return args


def run(args: argparse.Namespace) -> bool:
    stack = None
    if args.base_url:
        base_url = args.base_url.rstrip("/")
    else:
        stack = Stack(args)
        stack.start()
        base_url = stack.base_url
    environment = None
    try:
        if stack is not None:
            stack.fill()
        SETTINGS.password, SETTINGS.seed = args.password, args.seed
        SETTINGS.think, SETTINGS.pacing = (0.0, args.pacing) if args.saturate else (args.think, 0.0)
        say("collecting search terms through the API")
        locustfile.prepare(base_url)
        environment = Environment(user_classes=locustfile.USER_CLASSES, host=base_url, events=events)
        environment.create_local_runner()
        header = (
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}, "
            f"{SETTINGS.terms['staff'].visible_persons:,} persons in the register, "
            + (f"gunicorn {args.gunicorn_workers} x {args.gunicorn_threads} threads, " if stack else "")
            + f"load average {loadavg()}"
        )
        if args.saturate:
            passed, figures = saturation_run(args, environment, header)
        else:
            passed, figures = fixed_run(args, environment, stack, header)
        say(f"load average at the end: {loadavg()}")
        if args.json:
            figures.update(header=header, passed=passed)
            Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
        return passed
    finally:
        if environment is not None and environment.runner is not None:
            environment.runner.quit()
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
