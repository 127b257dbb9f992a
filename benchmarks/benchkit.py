"""What the benchmark scripts share: the project on sys.path with its local settings, a database of
their own (created if missing) and the median time of a page.

A script run as `python benchmarks/x.py` has benchmarks/ on sys.path, so `import benchkit` works
before Django is set up; importing it puts the project root on sys.path and chooses the settings.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
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


def median_ms(client, url: str, runs: int = 6) -> float:
    """Median server round trip of GET `url` in ms over `runs` requests, after one warm-up."""
    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)
