"""Benchmark of the persons import: generate a workbook, import it, print rows/s and memory.

    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench_import \
        .venv/bin/python benchmarks/import_bench.py --rows 50000 --reimport --repeat 3

The database is created and migrated if needed (default gulou_bench). Set a broker, as production
does: without one Celery runs eagerly and the indicators' recompute that an import asks for runs
inside the timed import (the benchmark says so when it starts).

Steps: (1) write a persons workbook of N rows with openpyxl's write-only mode; (2) the floors, measured
in the same run: parse it bare with python-calamine (the reader the import uses) and with openpyxl's
read-only mode; (3) import it through
`imports.services.run_import` (sheets/engine.py), the code path of `import_excel` and of the web page (read with
python-calamine after the hostile-file guard, which every timed import pays as for a file it has not
seen, clean, validate, write persons and their history rows in one transaction);
(4) optionally import it again (every row unchanged). Prints rows/s, the ratios to both floors,
the CPU seconds of each import (this process, and the PostgreSQL backend when the server runs on this
machine: the figures to compare on a loaded machine), and peak memory: the process's maximum resident set size (getrusage) after each step, and with
--tracemalloc the Python heap's peak during the import (tracemalloc slows Python code down: the
timing of that run is not the figure to quote).

The benchmark's persons use region code 320199 (not a Gulou code) and are deleted before and after
the run, with their history rows and the communities the benchmark created.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import benchkit

benchkit.use_database()
benchkit.setup_portal()

from openpyxl import Workbook, load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from core.idnumbers import make_id_number  # noqa: E402
from core.models import Community  # noqa: E402
from core.reference import STREETS  # noqa: E402
from imports.services import run_import  # noqa: E402
from imports.tests.factories import PERSON_HEADERS as HEADERS  # noqa: E402
from registry.models import Person  # noqa: E402
from sheets.guard import forget_verdicts  # noqa: E402

REGION = "320199"
CATEGORIES = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]
GRADES = ["一级", "二级", "三级", "四级"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
COMMUNITY_PREFIX = "基准测试社区"


def person_row(i: int) -> list:
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=i // 1000)
    id_number = make_id_number(REGION, birth, i % 1000)
    street = STREETS[i % len(STREETS)][0]
    category, grade = str(i % 7 + 1), str(i % 4 + 1)
    inactive = i % 50 == 0
    return [
        SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)],
        id_number,
        f"{id_number}{category}{grade}" if i % 2 else "",
        CATEGORIES[int(category) - 1],
        GRADES[int(grade) - 1],
        dt.date(2010, 1, 1) + dt.timedelta(days=i % 5000),
        street,
        f"{COMMUNITY_PREFIX}{i % 10}",
        f"南京市鼓楼区某某路{i % 300}号",
        f"139{i:08d}"[:11],
        "迁出" if inactive else "正常",
        dt.date(2024, 3, 1) if inactive else None,
    ]


def generate(path: Path, rows: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("持证残疾人")
    sheet.append(HEADERS)
    for i in range(rows):
        sheet.append(person_row(i))
    workbook.save(path)


def read_with_openpyxl(path: Path) -> int:
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count - 1


def read_with_calamine(path: Path) -> int:
    """The floor of issue 16: python-calamine opening the workbook and yielding every row, bare."""
    workbook = CalamineWorkbook.from_path(str(path))
    count = sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())
    workbook.close()
    return count - 1


def best_of(repeat: int, read, path: Path) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = read(path)
        best = min(best, time.perf_counter() - started)
    return best, count


def cleanup() -> None:
    """The benchmark's persons, their history rows and communities, deleted in SQL: the ORM's delete
    collects 50,000 persons and writes a "-" history row for each, minutes for rows dropped anyway.
    Then the two tables are vacuumed: the development server runs with autovacuum off, and without
    it every run imported into a table holding the dead rows of all the runs before (2,000,000 dead
    persons and 445 MB of indexes after a day of runs: each COPY into bloated indexes, each unique
    check visiting the dead rows of the same ID numbers)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Person.history.model, Person):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id_number LIKE %s", [f"{REGION}%"])
    Community.objects.filter(name__startswith=COMMUNITY_PREFIX, persons__isnull=True).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Person.history.model, Person):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_cpu_seconds() -> float | None:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far: /proc of a server on
    this machine; None when it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_import(data: bytes, label: str, rows: int, *, trace: bool = False):
    if trace:
        tracemalloc.start()
    # Each import pays the guard, as the worker that imports a confirmed upload does (it has not seen
    # the file): without this, every import after the first would find the file's verdict remembered.
    forget_verdicts()
    backend_before = backend_cpu_seconds()
    cpu_started = time.process_time()
    started = time.perf_counter()
    report = run_import("persons", data, change_reason="import_bench")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    backend_after = backend_cpu_seconds()
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    if not report.accepted:
        raise SystemExit(f"{label}: rejected: {report.errors[:5]}")
    print(
        f"{label}: {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s "
        f"(created {report.created}, updated {report.updated}, unchanged {report.unchanged}); "
        f"max RSS {max_rss_mb():.0f} MB" + (f"; Python heap peak {peak:.1f} MB" if peak is not None else "")
    )
    backend = (
        ""
        if None in (backend_before, backend_after)
        else f", PostgreSQL backend {backend_after - backend_before:.2f} s"
    )
    print(f"  CPU: this process {cpu:.2f} s{backend}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reimport", action="store_true", help="import the same file again (all unchanged)")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the Python heap's peak")
    parser.add_argument("--keep", action="store_true", help="keep the imported persons")
    parser.add_argument(
        "--without-guard",
        action="store_true",
        help="skip sheets/guard.py, to measure what it costs (never in production: a hostile file kills the process)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="import the new persons this many times (best kept)"
    )
    args = parser.parse_args()
    if args.without_guard:
        import sheets.guard

        sheets.guard.check_workbook = lambda data, limits=None: None

    from django.conf import settings
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; rows: {args.rows:,}")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        print(
            "warning: no CELERY_BROKER_URL, Celery runs eagerly: each import's indicator recompute runs "
            "inside the timed import (set CELERY_BROKER_URL to measure the import as production runs it)"
        )
    cleanup()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "persons.xlsx"
        started = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size / 1024 / 1024
        print(f"generate (openpyxl write-only): {time.perf_counter() - started:.1f} s, {size:.1f} MB")
        print(f"max RSS after generating: {max_rss_mb():.0f} MB")

        cpu_started = time.process_time()
        calamine_seconds, calamine_rows = best_of(args.repeat, read_with_calamine, path)
        calamine_cpu = (time.process_time() - cpu_started) / args.repeat
        print(
            f"floor 1, parse only (python-calamine, best of {args.repeat}): {calamine_seconds:.2f} s, "
            f"{calamine_rows / calamine_seconds:,.0f} rows/s; CPU {calamine_cpu:.2f} s"
        )
        read_seconds, read_rows = best_of(1, read_with_openpyxl, path)
        print(
            f"floor 2, parse only (openpyxl read-only): {read_seconds:.2f} s, {read_rows / read_seconds:,.0f} rows/s; "
            f"max RSS {max_rss_mb():.0f} MB"
        )
        data = path.read_bytes()
        try:
            seconds = float("inf")
            for _ in range(args.repeat):
                cleanup()
                seconds = min(
                    seconds, timed_import(data, "import (new persons)", args.rows, trace=args.tracemalloc)
                )
            print(
                f"import {seconds:.2f} s = {args.rows / seconds:,.0f} rows/s (goal ≥ 10,000); "
                f"{seconds / calamine_seconds:.1f}× the calamine parse (goal ≤ 5), "
                f"{seconds / read_seconds:.2f}× the openpyxl parse"
            )
            if args.reimport:
                again = min(
                    timed_import(data, "re-import (unchanged)", args.rows) for _ in range(args.repeat)
                )
                print(
                    f"re-import {again:.2f} s = {args.rows / again:,.0f} rows/s (goal ≥ 20,000); "
                    f"{again / calamine_seconds:.1f}× the calamine parse, {again / read_seconds:.2f}× the openpyxl parse"
                )
            print(f"load average: {Path('/proc/loadavg').read_text().split()[0]}")
        finally:
            if not args.keep:
                cleanup()


if __name__ == "__main__":
    main()
