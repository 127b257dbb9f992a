"""Indicator recomputation and dashboard benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \
        .venv/bin/python benchmarks/indicators_bench.py --sizes 25000 250000 1000000 [--keep] [--repeat 3]

For each size: regenerate the demo district (`generate_demo_data --persons N --seed 1 --flush`;
with --keep, a database that already holds N persons is used as it is), run the full recomputation
(2020–2025, every street) and print its wall time and query count next to its floor: one
sequential read (count(*) by a sequential scan, no index, parallel workers off) of every table the recomputation reads, measured
in the same run, and the ratio. Recomputation and floor are repeated --repeat times, interleaved,
and the best of each is printed with the median in brackets and the load average; "cpu ratio" is the
same ratio in CPU seconds (this process and its PostgreSQL backend, when the server is local; not
printed with --parts above 1, whose helper backends it cannot see), which
a shared machine's load disturbs less than wall-clock time. Then the
dashboard's server-side rendering (median of several requests) and a gap list page are timed.
Goals (issue 16): recomputation within 5x of the floor at 250,000 and 1,000,000 persons, and
1,000,000 persons in < 12 s; the dashboard under 100 ms whatever the registry size. The database
named by DATABASE_URL is overwritten (created if missing); never point it at production.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import benchkit

benchkit.use_database()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 250_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=7, help="dashboard requests per size (median)")
    parser.add_argument("--repeat", type=int, default=3, help="recomputations and floors per size (best)")
    parser.add_argument("--keep", action="store_true", help="reuse a database that holds N persons already")
    parser.add_argument(
        "--parts",
        type=int,
        default=None,
        help="ranges of persons counted at once on as many connections (default: INDICATORS_SQL_PARTS)",
    )
    parser.add_argument(
        "--compare", action="store_true", help="also time the queryset engine (one query per base and year)"
    )
    args = parser.parse_args()

    benchkit.setup_django(create_database=True)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import Street
    from core.roles import Role
    from indicators.plan import PLAN_YEARS
    from indicators.services import indicator_run_execute
    from registry.models import Person
    from registry.tests.factories import make_user

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    if args.parts is not None:
        settings.INDICATORS_SQL_PARTS = args.parts
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"parts counted at once: {settings.INDICATORS_SQL_PARTS}"
    )
    print(
        f"{'persons':>10} {'generate s':>11} {'recompute s':>16} {'floor s':>16} {'ratio':>6} {'queries':>8} "
        f"{'µs/person':>10} {'load':>15} {'cpu ratio':>9} {'dashboard ms':>13} {'dash queries':>13} {'gap list ms':>12}"
    )
    for size in args.sizes:
        started = time.monotonic()
        if not (args.keep and Person.objects.count() == size):
            call_command("generate_demo_data", persons=size, seed=args.seed, flush=True, stdout=io.StringIO())
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("VACUUM ANALYZE")
        generate_s = time.monotonic() - started

        recomputes, floors, cpu_ratios = [], [], []
        for _ in range(args.repeat):
            started, cpu = time.monotonic(), cpu_s()
            run = indicator_run_execute(years=PLAN_YEARS)
            recomputes.append(time.monotonic() - started)
            recompute_cpu = cpu_s() - cpu
            cpu = cpu_s()
            floors.append(sequential_read_s())
            # (the helpers' backends are not this process's: a CPU ratio of one part only says nothing)
            if settings.INDICATORS_SQL_PARTS <= 1 or connection.vendor != "postgresql":
                cpu_ratios.append(recompute_cpu / max(cpu_s() - cpu, 0.01))
        recompute_s, floor_s = min(recomputes), min(floors)
        if args.compare:
            from indicators import engine_sql

            available, engine_sql.available = engine_sql.available, lambda: False
            try:
                started = time.monotonic()
                querysets_run = indicator_run_execute(years=PLAN_YEARS)
                querysets_s = time.monotonic() - started
            finally:
                engine_sql.available = available
            print(
                f"queryset engine: {querysets_s:.2f} s, {querysets_run.query_count} queries, "
                f"{querysets_s / floor_s:.1f} x the floor",
                flush=True,
            )
        load = (
            " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
        )

        official = _user(make_user, Role.OFFICIAL, "bench_official", None)
        staff = _user(make_user, Role.DISTRICT_STAFF, "bench_staff", None)
        client = Client()
        client.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
        client.get("/indicators/?year=2025")  # warm-up
        with CaptureQueriesContext(connection) as queries:
            client.get("/indicators/?year=2025")
        dashboard_queries = len(queries.captured_queries)
        timings = []
        for _ in range(args.requests):
            t0 = time.monotonic()
            response = client.get("/indicators/?year=2025")
            timings.append((time.monotonic() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
        street = Street.objects.order_by("order").first()
        t0 = time.monotonic()
        response = client.get(f"/indicators/gaps/K08/2025/?street={street.pk}")
        gap_ms = (time.monotonic() - t0) * 1000
        assert response.status_code == 200, response.status_code

        persons = Person.objects.count()
        cpu_ratio = f"{min(cpu_ratios):.1f}" if cpu_ratios else "—"
        print(
            f"{persons:>10,} {generate_s:>11.1f} {recompute_s:>6.2f} ({statistics.median(recomputes):>6.2f}) "
            f"{floor_s:>6.2f} ({statistics.median(floors):>6.2f}) {recompute_s / floor_s:>6.1f} "
            f"{run.query_count:>8} {recompute_s * 1e6 / max(persons, 1):>10.1f} {load:>15} {cpu_ratio:>9} "
            f"{statistics.median(timings):>13.1f} {dashboard_queries:>13} {gap_ms:>12.1f}",
            flush=True,
        )
    return 0


def recompute_tables() -> list:
    """The tables the recomputation reads (engine_sql's statement)."""
    from care_homes.models import AuxProject, CareHome, Placement
    from employment.models import Employment, Graduate, Training
    from registry.models import Person, Survey
    from rehab.models import RehabService
    from subsidies.models import Grant

    return [
        Person,
        Survey,
        Grant,
        Placement,
        RehabService,
        Employment,
        Graduate,
        Training,
        CareHome,
        AuxProject,
    ]


def cpu_s() -> float:
    """CPU seconds of this process and of its PostgreSQL backend (when the server runs on this machine):
    under a shared load the CPU ratio is steadier than the wall-clock one."""
    from django.db import connection

    total = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def sequential_read_s() -> float:
    """The floor: one sequential read of every table the recomputation reads, no parallel workers."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A sequential scan of each table: left to itself, the planner counts the rows of the
            # largest tables (persons, surveys, rehab services) from their smallest index, reading a
            # tenth of their pages.
            cursor.execute(
                "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_indexonlyscan = off; "
                "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off"
            )
        started = time.monotonic()
        for model in recompute_tables():
            cursor.execute(f'SELECT count(*) FROM "{model._meta.db_table}"')
            cursor.fetchone()
        return time.monotonic() - started


def _user(make_user, role, username, street):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    return user or make_user(username, role, street)


if __name__ == "__main__":
    sys.exit(main())
