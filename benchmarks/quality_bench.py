"""Cross-domain pages at scale: the data-quality page and the district-wide gap lists (issue 10).

    createdb -h 127.0.0.1 -U postgres gulou_bench_h7
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench_h7 \\
        .venv/bin/python benchmarks/quality_bench.py --persons 1000000 [--requests 5] [--codes K04 K08] \\
        [--compare --rounds 3]

Uses the demo district in the database; when it holds fewer than --persons persons, builds it first with
`generate_demo_data --persons N --seed 1 --flush` (minutes at a million). Never point it at production.
Prints, for district staff (every street, no street chosen), the server time of each page (Django test
client, median of --requests requests after one warm-up) and its query count, next to the 500 ms goal.

With --compare, each gap list is also timed "before" issue 10's gap-list work, interleaved with "after"
over --rounds rounds (medians of every request): the page reading the ids of the whole list
(`page_by_ids` over the list's queryset, as the view did) with the gap lists' indexes dropped inside a
transaction that is rolled back (nothing to rebuild), then the page as it is.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import benchkit

benchkit.use_database("postgres://postgres@127.0.0.1:5432/gulou_bench_h7")

GOAL_MS = 500
# the indexes of issue 10 for the gap lists (registry 0016–0018, rehab 0005)
GAP_INDEXES = [
    "person_severe",
    "survey_gap_low_income",
    "survey_gap_insurance",
    "survey_gap_needs_rehab",
    "survey_gap_needs_device",
    "rehab_kind_date_person",
]


def _measure(client, url: str, runs: int) -> tuple[list[float], int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        if not sql.startswith(
            ("SAVEPOINT", "RELEASE SAVEPOINT")
        ):  # --compare's "before" runs in a transaction
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
    return times, len(queries)


def _measure_before(client, url: str, runs: int) -> tuple[list[float], int]:
    """The gap list as it was before issue 10's gap-list work: every id of the list read, no gap index."""
    from unittest import mock

    from django.db import connection, transaction

    from indicators import views

    def all_ids(request, code, year, street):
        return views._gap_queryset(request, code, year, street, flags=False)

    with transaction.atomic(), mock.patch.object(views, "_gap_ids", all_ids):
        with connection.cursor() as cursor:
            for name in GAP_INDEXES:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        result = _measure(client, url, runs)
        transaction.set_rollback(True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--codes", nargs="*", help="gap lists to time (default: every person gap list)")
    parser.add_argument("--year", type=int, help="gap-list year (default: last year)")
    parser.add_argument(
        "--compare", action="store_true", help="time each gap list before and after, interleaved"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --compare")
    args = parser.parse_args()

    benchkit.setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from core.periods import today
    from core.roles import Role
    from indicators.engine import GAP_CODES
    from registry.models import Person

    benchkit.ensure_persons(
        args.persons, lambda: call_command("generate_demo_data", persons=args.persons, seed=1, flush=True)
    )
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
    if args.compare:
        _compare(client, pages[1:], args)
        return
    print(f"{'page':<40} {'median':>10} {'goal':>8} {'queries':>8}")
    for label, url in pages:
        times, queries = _measure(client, url, args.requests)
        ms = statistics.median(times)
        verdict = "ok" if ms <= GOAL_MS else "SLOW"
        print(f"{label:<40} {ms:>7.0f} ms {GOAL_MS:>5} ms {queries:>8}  {verdict}")
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")


def _compare(client, pages, args) -> None:
    before = {label: [] for label, _ in pages}
    after = {label: [] for label, _ in pages}
    queries = {}
    for round_ in range(1, args.rounds + 1):
        for label, url in pages:
            times, queries[label, "before"] = _measure_before(client, url, args.requests)
            before[label] += times
            times, queries[label, "after"] = _measure(client, url, args.requests)
            after[label] += times
        print(f"round {round_}/{args.rounds} done, load average {Path('/proc/loadavg').read_text().strip()}")
    print(f"{'page':<40} {'before':>10} {'after':>10} {'goal':>8} {'speed-up':>9} {'queries':>8}")
    for label, _ in pages:
        ms_before, ms_after = statistics.median(before[label]), statistics.median(after[label])
        verdict = "ok" if ms_after <= GOAL_MS else "SLOW"
        print(
            f"{label:<40} {ms_before:>7.0f} ms {ms_after:>7.0f} ms {GOAL_MS:>5} ms {ms_before / ms_after:>8.1f}x "
            f"{queries[label, 'before']:>3} → {queries[label, 'after']}  {verdict}"
        )
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
