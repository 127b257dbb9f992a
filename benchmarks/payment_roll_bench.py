"""Payment roll benchmark: the district roll build, its queries and memory, and the roll page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \
        .venv/bin/python benchmarks/payment_roll_bench.py --sizes 25000 250000 1000000

For each size: regenerate the demo district (`generate_demo_data --persons N --seed 1 --flush`,
which also approves the 2025 rolls), then rebuild the draft rolls of every street for January 2026
(history from January 2025: thirteen months per grant, with arrears, recoveries and held grants)
and print wall time, query count and the peak of Python memory (tracemalloc, in a second run, since
tracing slows Python down), then time the roll page of the largest street's draft (server time,
median of several requests). Goals (issue 11): 1,000,000 persons (about 1.5 million grants) in
under 30 s with a constant number of queries and flat memory; the roll page under 300 ms.
`--keep` skips the regeneration (reuse the database as it is). The database named by
DATABASE_URL is overwritten; never point it at production.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
import tracemalloc

import benchkit

benchkit.use_database()

MONTH = dt.date(2026, 1, 1)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 250_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do not regenerate the demo data")
    args = parser.parse_args()

    benchkit.setup_django(create_database=True)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from payments import services
    from payments.models import Roll, RollLine
    from subsidies.models import Grant

    call_command("migrate", verbosity=0)
    print(
        f"{'persons':>9} {'grants':>9} {'lines':>8} {'build s':>8} {'queries':>7} {'peak MiB':>8} {'page ms':>8}"
    )
    for size in args.sizes:
        if not args.keep:
            call_command("generate_demo_data", persons=size, seed=args.seed, flush=True, stdout=io.StringIO())
        grants = Grant.objects.count()

        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            services.rolls_build_all(month=MONTH)
            elapsed = time.perf_counter() - started
        tracemalloc.start()
        services.rolls_build_all(month=MONTH)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lines = RollLine.objects.filter(roll__month=MONTH).count()

        roll = Roll.objects.filter(month=MONTH).annotate(n=Count("lines")).order_by("-n").first()
        client = Client()
        client.force_login(get_user_model().objects.get(username="demo_staff"))
        url = reverse("payments:roll_detail", args=[roll.pk]) + "?show=lines&page=3"
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{size:>9} {grants:>9} {lines:>8} {elapsed:>8.1f} {len(queries):>7} "
            f"{peak / 2**20:>8.1f} {statistics.median(timings):>8.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
