"""What the benchmark scripts share: the project on sys.path with its local settings, a database of
their own (created if missing), the users they log in as, and the median time and query count of a
page, printed beside its floor.

A script run as `python benchmarks/x.py` has benchmarks/ on sys.path, so `import benchkit` works
before Django is set up; importing it puts the project root on sys.path and chooses the settings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gulou_bench"

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gulou_portal.settings.local")


def use_database(url: str = BENCH_DATABASE_URL) -> None:
    """Point DATABASE_URL at `url` unless the caller's environment names one already."""
    os.environ.setdefault("DATABASE_URL", url)


def ensure_database() -> None:
    """Create the PostgreSQL database of DATABASE_URL if it does not exist yet."""
    import environ
    import psycopg2

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        return
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def setup_django(*, create_database: bool = False) -> None:
    if create_database:
        ensure_database()
    import django

    django.setup()


def page_args(doc: str, *, requests: int = 7, **counts: int) -> argparse.Namespace:
    """The parsed command line of a page benchmark: its docstring as help, `--requests`, `--keep`, and
    one `--<name>` for each of the `counts` it fills (the value is the default)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--keep", action="store_true")
    for name, default in counts.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    return parser.parse_args()


def setup_portal() -> None:
    """Django on a migrated database (created if missing) with the streets and the role groups."""
    setup_django(create_database=True)
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from core.models import Street
    from core.reference import ensure_reference_data

    call_command("migrate", verbosity=0)
    ensure_reference_data(Street, Group)


def ensure_persons(count: int, generate: Callable[[], None]) -> None:
    """Migrate, then `generate()` the register when it holds fewer than `count` persons (timed)."""
    from django.core.management import call_command

    from registry.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() < count:
        started = time.monotonic()
        generate()
        print(f"generated {count} persons in {time.monotonic() - started:.0f} s")


def bench_user(username: str, role, street_name: str | None = None):
    """The user `username`, made with `role` (and the clerk's street) the first time."""
    from django.contrib.auth import get_user_model

    from registry.tests.factories import make_user

    found = get_user_model().objects.filter(username=username).first()
    return found or make_user(username, role, street_name)


def setup_page_bench():
    """Django set up (`setup_portal`), then the district staff member, the 宁海路街道 clerk and the
    official the page benchmarks log in as."""
    setup_portal()
    from core.roles import Role

    return (
        bench_user("bench_staff", Role.DISTRICT_STAFF),
        bench_user("bench_clerk", Role.STREET_CLERK, "宁海路街道"),
        bench_user("bench_official", Role.OFFICIAL),
    )


def refill(args: argparse.Namespace, model, fill: Callable[[], str]) -> None:
    """Fill the benchmark's tables again, unless `--keep` finds rows of `model` there: `fill()` writes
    them and says what it wrote ("1,000 cases"), printed with the time it took."""
    if args.keep and model.objects.exists():
        return
    started = time.perf_counter()
    written = fill()
    print(f"filled {written} in {time.perf_counter() - started:.0f} s")


def vacuum_analyze(*tables: str) -> None:
    """What autovacuum does soon after a bulk load: statistics and the visibility map, so that the
    pages see the plans (and index-only counts) of a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def measure(client, url: str, runs: int = 6) -> tuple[float, int]:
    """Median server round trip of GET `url` in ms over `runs` requests, after one warm-up, and the
    number of queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def median_ms(client, url: str, runs: int = 6) -> float:
    """Median server round trip of GET `url` in ms over `runs` requests, after one warm-up."""
    return measure(client, url, runs)[0]


def time_pages(pages, *, runs: int, floor_ms: float | None = None, rows: dict | None = None) -> float:
    """Print a table of `pages` (label, user, url): each page's query count and median time over
    `runs` requests as that user, beside `floor_ms` and the page's row count from `rows` when given,
    then PASS or FAIL against the floor. Returns the slowest median."""
    from django.test import Client

    width = max(len("page"), *(len(label) for label, _, _ in pages))
    print(
        f"{'page':<{width}}"
        + (f" {'rows':>8}" if rows is not None else "")
        + f" {'queries':>7} {'median ms':>9}"
        + (f" {'floor ms':>8}" if floor_ms is not None else "")
    )
    client = Client()
    worst = 0.0
    for label, who, url in pages:
        client.force_login(who)
        median, queries = measure(client, url, runs)
        worst = max(worst, median)
        print(
            f"{label:<{width}}"
            + (f" {rows.get(label, '-'):>8}" if rows is not None else "")
            + f" {queries:>7} {median:>9.0f}"
            + (f" {floor_ms:>8}" if floor_ms is not None else "")
        )
    if floor_ms is not None:
        print("PASS" if worst < floor_ms else "FAIL", f"(slowest median {worst:.0f} ms, floor {floor_ms} ms)")
    return worst
