"""Benchmark of the access log: the cost of one row per request, and "who looked at this person".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_portal \
        .venv/bin/python benchmarks/access_log_bench.py --rows 1000000

Steps: (1) bulk-insert N synthetic rows (a quarter naming one person, the rest lists of 50 person ids,
as API and list pages write them); (2) time `log_access` writing one list row of 50 persons, the cost a
request pays; (3) time the admin's person search (the rows naming the person or a list that showed
them) and print PostgreSQL's plan. The rows are marked `detail="benchmark"` and deleted afterwards.
"""

from __future__ import annotations

import argparse
import random
import time

import benchkit

benchkit.setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from registry.audit import log_access  # noqa: E402
from registry.models import AccessLog  # noqa: E402

MARK = "benchmark"
PERSON_RANGE = 250_000


class _Row:
    def __init__(self, person_id):
        self.person_id = person_id


def fill(user, rows: int) -> None:
    rng = random.Random(7)
    batch = []
    for n in range(rows):
        if n % 4 == 0:
            batch.append(AccessLog(user=user, action="view", object_type="person", row_count=1, detail=MARK))
        else:
            ids = rng.sample(range(1, PERSON_RANGE), 50)
            batch.append(
                AccessLog(
                    user=user, action="list", object_type="person", person_ids=ids, row_count=50, detail=MARK
                )
            )
        if len(batch) == 10_000:
            AccessLog.objects.bulk_create(batch)
            batch = []
    AccessLog.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_accesslog")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    user, _ = get_user_model().objects.get_or_create(username="access_log_bench")
    try:
        started = time.perf_counter()
        fill(user, args.rows)
        print(f"inserted {args.rows} rows in {time.perf_counter() - started:.1f} s")

        class _Request:
            path = "/api/registry/persons/"
            META = {"REMOTE_ADDR": "127.0.0.1"}
            auth = None

            def __init__(self):
                self.user = user

            def get_full_path(self):
                return self.path

        rows = [_Row(pk) for pk in range(1, 51)]
        timings = []
        for _ in range(200):
            started = time.perf_counter()
            log_access(request=_Request(), action="list", object_type="person", rows=rows, detail=MARK)
            timings.append(time.perf_counter() - started)
        timings.sort()
        print(
            f"log_access (list of 50): median {timings[100] * 1000:.2f} ms, p95 {timings[190] * 1000:.2f} ms"
        )

        person_pk = 4242
        query = AccessLog.objects.filter(Q(person_id__in=[person_pk]) | Q(person_ids__contains=[person_pk]))
        started = time.perf_counter()
        found = query.count()
        print(f"person search: {found} rows in {(time.perf_counter() - started) * 1000:.1f} ms")
        if connection.vendor == "postgresql":
            print(query.explain(analyze=True))
    finally:
        AccessLog.objects.filter(detail=MARK).delete()
        user.delete()


if __name__ == "__main__":
    main()
