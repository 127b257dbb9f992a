"""Payment roll benchmark: the district roll build, its queries and memory, the roll page, the bank file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \
        .venv/bin/python benchmarks/payment_roll_bench.py --sizes 1000000 [--keep] [--repeat 3]

For each size: regenerate the demo district (`generate_demo_data --persons N --seed 1 --flush`,
which also approves the 2025 rolls; `--keep` reuses the database as it is), then rebuild the draft
rolls of every street for January 2026 (history from January 2025: thirteen months per grant, with
arrears, recoveries and held grants) `--repeat` times and print each build's wall time and query
count, the best and the median, and its CPU time (the PostgreSQL backend's and Python's, from
/proc: what it costs whatever else runs on the machine); the process's peak RSS during the builds (the peak is reset before
them) and the peak of Python memory (tracemalloc, one more build, since tracing slows Python down);
the roll page of the largest street's draft (server time through Django's test client, median of
`--requests`); and the bank file of the largest street's December roll through its view (written
by the streaming workbook writer to a temporary file, then streamed): time, rows, size and Python
peak memory. Each figure is printed next to its goal (issue 11), with the load average, since the
machine may be shared. Before each build the payments tables are vacuumed (`--no-vacuum` skips it):
the development server runs without autovacuum, which on a live database removes the dead rows
of the previous build and of the approvals. `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the build's statement in a
rolled-back transaction (constraints immediate, so that their triggers are timed too).
The database named by DATABASE_URL is overwritten; never point it at production.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import time
import tracemalloc
from pathlib import Path

import benchkit

benchkit.use_database()

MONTH = dt.date(2026, 1, 1)
BANK_MONTH = dt.date(2025, 12, 1)
GOAL_BUILD_S = 30.0  # at 1,000,000 persons
GOAL_PAGE_MS = 300.0


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def reset_peak_rss() -> None:
    # Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) of the process
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def vacuum() -> None:
    """What autovacuum does on a live database after a bulk write (this server runs without it):
    the dead rows of the last build and of the demo's approvals go, the visibility map is set."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("payments_rollline", "payments_helditem", "payments_recovery", "payments_roll"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(
        f"VACUUM (ANALYZE) of the payments tables (not timed in the build): {time.perf_counter() - started:.1f} s"
    )


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process (Linux /proc): what a build costs whatever the load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def explain(month: dt.date) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the district build's statement, rolled back."""
    from django.db import connection, transaction

    from core.models import Street
    from payments import rules_sql, services
    from payments.models import RollState

    plan: list[str] = []

    def capture(execute, sql, params, many, context):
        if not sql.lstrip().startswith("WITH"):
            return execute(sql, params, many, context)
        execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params, many, context)
        plan.extend(row[0] for row in context["cursor"].fetchall())
        return None

    with transaction.atomic():
        rolls = [services._draft_for(street, month) for street in Street.objects.all()]
        drafts = [roll for roll in rolls if roll.state == RollState.DRAFT]
        services._clear(drafts)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with connection.execute_wrapper(capture):
            rules_sql.write(month, None, {roll.street_id: roll.pk for roll in drafts})
        transaction.set_rollback(True)
    print("\n".join(plan))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="builds timed per size")
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do not regenerate the demo data")
    parser.add_argument("--explain", action="store_true", help="print the build statement's plan")
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="do not VACUUM ANALYZE the payments tables before each build (autovacuum's work)",
    )
    args = parser.parse_args()

    benchkit.setup_django(create_database=True)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from payments import services
    from payments.models import Roll, RollLine
    from registry.models import Person
    from subsidies.models import Grant

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    for size in args.sizes:
        print(f"== {size:,} persons (load average before: {loadavg()})")
        if not args.keep:
            started = time.perf_counter()
            call_command("generate_demo_data", persons=size, seed=args.seed, flush=True, stdout=io.StringIO())
            print(f"demo data generated in {time.perf_counter() - started:.0f} s")
        persons, grants = Person.objects.count(), Grant.objects.count()
        paid = RollLine.objects.filter(paid=True).count()
        print(f"persons {persons:,}, grants {grants:,}, paid lines of approved rolls {paid:,}")
        if not args.no_vacuum:
            vacuum()
        if args.explain:
            explain(MONTH)

        goal = GOAL_BUILD_S * size / 1_000_000
        timings, cpu_timings, query_counts = [], [], []
        rss_before = rss_mib()
        reset_peak_rss()
        for run in range(args.repeat):
            if not args.no_vacuum:
                vacuum()
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
            with connection.execute_wrapper(count):
                cpu_before = cpu_seconds(backend), cpu_seconds()
                started = time.perf_counter()
                services.rolls_build_all(month=MONTH)
                elapsed = time.perf_counter() - started
                cpu_db, cpu_py = cpu_seconds(backend) - cpu_before[0], cpu_seconds() - cpu_before[1]
            timings.append(elapsed)
            cpu_timings.append(cpu_db + cpu_py)
            query_counts.append(len(queries))
            print(
                f"build {run + 1}: {elapsed:.1f} s wall, CPU {cpu_db:.1f} s PostgreSQL + {cpu_py:.1f} s Python, "
                f"{len(queries)} queries (load {loadavg()})"
            )
        peak_rss = peak_rss_mib()
        tracemalloc.start()
        services.rolls_build_all(month=MONTH)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lines = RollLine.objects.filter(roll__month=MONTH).count()
        print(
            f"district build, {lines:,} draft lines: best {min(timings):.1f} s, median "
            f"{statistics.median(timings):.1f} s  (goal < {goal:.1f} s)"
        )
        print(
            f"district build, CPU time (PostgreSQL backend + Python, what the build costs on an idle "
            f"machine, less I/O): best {min(cpu_timings):.1f} s, median {statistics.median(cpu_timings):.1f} s"
        )
        print(f"queries per build: {sorted(set(query_counts))}  (goal: constant, whatever the size)")
        print(
            f"RSS before the builds {rss_before:.0f} MiB, peak during them {peak_rss:.0f} MiB; Python heap peak "
            f"{peak / 2**20:.1f} MiB  (goal: memory does not grow with lines)"
        )

        staff = get_user_model().objects.get(username="demo_staff")
        client = Client()
        client.force_login(staff)
        roll = Roll.objects.filter(month=MONTH).annotate(n=Count("lines")).order_by("-n").first()
        moments = ["right after the build"] + ([] if args.no_vacuum else ["after VACUUM"])
        for moment in moments:
            if moment == "after VACUUM":
                vacuum()
            for page in (1, 3, "last"):
                url = reverse("payments:roll_detail", args=[roll.pk]) + f"?show=lines&page={page}"
                page_timings, page_cpu = [], []
                for _ in range(args.requests + 1):
                    backend = connection.connection.info.backend_pid if connection.connection else None
                    cpu_before = (cpu_seconds(backend) if backend else 0.0), cpu_seconds()
                    started = time.perf_counter()
                    assert client.get(url).status_code == 200
                    page_timings.append((time.perf_counter() - started) * 1000)
                    cpu_db = cpu_seconds(backend) - cpu_before[0] if backend else 0.0
                    page_cpu.append((cpu_db + cpu_seconds() - cpu_before[1]) * 1000)
                print(
                    f"roll page of {roll.street.name} ({roll.n:,} lines), page {page}, {moment}: median "
                    f"{statistics.median(page_timings[1:]):.0f} ms, best {min(page_timings[1:]):.0f} ms, "
                    f"CPU median {statistics.median(page_cpu[1:]):.0f} ms "
                    f"(goal < {GOAL_PAGE_MS:.0f} ms; load {loadavg()})"
                )

        bank_roll = Roll.objects.filter(month=BANK_MONTH).annotate(n=Count("lines")).order_by("-n").first()
        url = reverse("payments:roll_bank_file", args=[bank_roll.pk])
        started = time.perf_counter()
        response = client.post(url)
        first = time.perf_counter() - started
        assert response.status_code == 200 and response.streaming
        size_bytes = sum(len(chunk) for chunk in response.streaming_content)
        total = time.perf_counter() - started
        tracemalloc.start()
        for _chunk in client.post(url).streaming_content:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"bank file of {bank_roll.street.name} {BANK_MONTH:%Y-%m} ({bank_roll.n:,} lines): "
            f"{size_bytes / 2**20:.1f} MiB, response after {first:.1f} s, streamed in {total:.1f} s, "
            f"Python heap peak {peak / 2**20:.1f} MiB (goal: streams, memory does not grow with lines; "
            f"load {loadavg()})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
