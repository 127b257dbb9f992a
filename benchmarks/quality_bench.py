"""Cross-domain pages at scale: the data-quality page and the district-wide gap lists (issue 10).

    createdb -h 127.0.0.1 -U postgres gulou_bench_h7
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench_h7 \\
        .venv/bin/python benchmarks/quality_bench.py --persons 1000000 [--requests 5] [--codes K04 K08]

Uses the demo district in the database; when it holds fewer than --persons persons, builds it first with
`generate_demo_data --persons N --seed 1 --flush` (minutes at a million). Never point it at production.
Prints, for district staff (every street, no street chosen), the server time of each page (Django test
client, median of --requests requests after one warm-up) and its query count, next to the 500 ms goal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gulou_portal.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gulou_bench_h7")

GOAL_MS = 500


def _measure(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)  # warm-up, and the query count
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--codes", nargs="*", help="gap lists to time (default: every person gap list)")
    parser.add_argument("--year", type=int, help="gap-list year (default: last year)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from core.periods import today
    from core.roles import Role
    from indicators.engine import GAP_CODES
    from registry.models import Person

    call_command("migrate", verbosity=0)
    have = Person.objects.count()
    if have < args.persons:
        started = time.monotonic()
        call_command("generate_demo_data", persons=args.persons, seed=1, flush=True)
        print(f"generated {args.persons} persons in {time.monotonic() - started:.0f} s")
    print(f"persons: {Person.objects.count()}, load average: {Path('/proc/loadavg').read_text().strip()}")

    staff = get_user_model().objects.get_or_create(username="bench_staff")[0]
    staff.groups.add(Group.objects.get(name=Role.DISTRICT_STAFF.label))
    client = Client()
    client.force_login(staff)
    year = args.year or today().year - 1
    pages = [("data quality (数据质量)", reverse("quality:data_quality"))]
    pages += [
        (f"gap list {code} {year}, all streets", reverse("indicators:gap_list", args=[code, year]))
        for code in (args.codes or [c for c in GAP_CODES if c != "K12"])
    ]
    print(f"{'page':<40} {'median':>10} {'goal':>8} {'queries':>8}")
    for label, url in pages:
        ms, queries = _measure(client, url, args.requests)
        verdict = "ok" if ms <= GOAL_MS else "SLOW"
        print(f"{label:<40} {ms:>7.0f} ms {GOAL_MS:>5} ms {queries:>8}  {verdict}")
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
