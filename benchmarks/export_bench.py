"""Memory sanity check of the workbook writer (sheets/xlsx.py): the Python heap's peak while writing
must not grow with the number of rows, because sheets stream (openpyxl write-only).

    .venv/bin/python benchmarks/export_bench.py --rows 10000 100000 300000

Writes persons-like rows (text, some starting with "=", an ID number as text, a date, an amount)
to a temporary file for each row count and prints rows/s (an untraced run), the file size and
tracemalloc's peak (a second, traced run). No database is needed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
import tracemalloc
from decimal import Decimal

import benchkit

benchkit.setup_django()

from sheets import xlsx  # noqa: E402

COLUMNS = [
    xlsx.Column("姓名", width=12),
    xlsx.Column("公民身份号码", width=22, number_format=xlsx.TEXT),
    xlsx.Column("所属街道"),
    xlsx.Column("居住地址", width=30),
    xlsx.Column("发证日期", number_format=xlsx.DATE),
    xlsx.Column("月标准", number_format=xlsx.MONEY),
]


def rows(count: int):
    start = dt.date(2015, 6, 1)
    for n in range(count):
        yield [
            f"=测试{n}" if n % 10 == 0 else f"测试人员{n}",
            f"32010619800101{n % 10000:04d}",
            "宁海路街道",
            f"鼓楼区中山路{n}号",
            start + dt.timedelta(days=n % 3000),
            Decimal("150.50"),
        ]


def write(count: int) -> tuple[float, int]:
    """(seconds, file size) of writing `count` rows."""
    with tempfile.TemporaryFile() as output:
        began = time.perf_counter()
        writer = xlsx.WorkbookWriter(output)
        writer.add_sheet("持证残疾人", COLUMNS).extend(rows(count))
        writer.save()
        return time.perf_counter() - began, output.seek(0, os.SEEK_END)


def measure(count: int) -> tuple[float, int, int]:
    """Timed without tracemalloc, then written again under tracemalloc for the heap's peak."""
    elapsed, size = write(count)
    tracemalloc.start()
    write(count)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, size, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print(f"{'rows':>9} {'rows/s':>9} {'file MB':>8} {'heap peak MB':>13}")
    for count in args.rows:
        elapsed, size, peak = measure(count)
        print(f"{count:>9} {count / elapsed:>9.0f} {size / 2**20:>8.1f} {peak / 2**20:>13.1f}")


if __name__ == "__main__":
    main()
