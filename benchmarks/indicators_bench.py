"""Indicator recomputation and dashboard benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \
        .venv/bin/python benchmarks/indicators_bench.py --sizes 25000 250000 1000000

For each size: regenerate the demo district (`generate_demo_data --persons N --seed 1 --flush`),
run the full recomputation (2020–2025, every street) and print its wall time and query count,
then time the dashboard's server-side rendering (median of several requests) and a gap list page.
Goal: 1,000,000 persons recomputed in < 60 s on PostgreSQL, cost growing at most linearly; the
dashboard under 100 ms whatever the registry size. The database named by DATABASE_URL is
overwritten (created if missing); never point it at production.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time

import benchkit

benchkit.use_database()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 250_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=7, help="dashboard requests per size (median)")
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
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"{'persons':>10} {'generate s':>11} {'recompute s':>12} {'queries':>8} {'µs/person':>10} "
        f"{'dashboard ms':>13} {'dash queries':>13} {'gap list ms':>12}"
    )
    for size in args.sizes:
        started = time.monotonic()
        call_command("generate_demo_data", persons=size, seed=args.seed, flush=True, stdout=io.StringIO())
        generate_s = time.monotonic() - started
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")

        started = time.monotonic()
        run = indicator_run_execute(years=PLAN_YEARS)
        recompute_s = time.monotonic() - started

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
        print(
            f"{persons:>10,} {generate_s:>11.1f} {recompute_s:>12.2f} {run.query_count:>8} "
            f"{recompute_s * 1e6 / max(persons, 1):>10.1f} {statistics.median(timings):>13.1f} "
            f"{dashboard_queries:>13} {gap_ms:>12.1f}",
            flush=True,
        )
    return 0


def _user(make_user, role, username, street):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    return user or make_user(username, role, street)


if __name__ == "__main__":
    sys.exit(main())
