"""Hostile workbooks against the guard: time and peak memory to refuse each, next to their limits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_portal \
        .venv/bin/python benchmarks/hostile_files.py [--rows 50000] [--skip-issue-bomb]

Each file is opened through `sheets.excel.open_sheet` (the door every parser goes through) in a
fresh child process; the figures are that process's wall time and peak resident memory (wait4's
ru_maxrss, the interpreter and Django included). The limits the issue sets: peak under 512 MB and a
refusal under 60 s for any file up to the upload limit, and no process ever dies.

Then the guard's cost on a real file: a persons workbook of --rows rows (as benchmarks/import_bench.py
writes it), timed through the guard alone (its fast path, and the full XML scan forced), inflating
its parts only, and python-calamine alone. `--guard-cost-only` runs only that part.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchkit

ROOT = benchkit.ROOT
benchkit.setup_django()

from django.conf import settings  # noqa: E402

from sheets.tests import hostile  # noqa: E402

PEAK_LIMIT_MB = 512
TIME_LIMIT_S = 60

CHILD = """
import json, sys, time
import django
django.setup()
from sheets import excel
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    excel.open_sheet(data).close()
    outcome = "opened"
except excel.BadFile as exc:
    outcome = exc.message
print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}, ensure_ascii=False))
"""


def measure(path: Path) -> dict:
    """open_sheet on the file in a child process: its outcome, time, peak RSS and exit status."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout = child.stdout.read()
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    result = {"exit": child.returncode, "wall": wall, "peak_mb": usage.ru_maxrss / 1024}
    if child.returncode == 0:
        result.update(json.loads(stdout.decode().strip().splitlines()[-1]))
    else:
        result["outcome"] = f"child died: {stderr.decode()[-300:]}"
    return result


def report(name: str, path: Path, unpacked: str) -> bool:
    figures = measure(path)
    size = path.stat().st_size
    ok = figures["exit"] == 0 and figures["peak_mb"] < PEAK_LIMIT_MB and figures["wall"] < TIME_LIMIT_S
    print(
        f"{name:<34} {size / 1024:>9,.0f} KB  unpacks to {unpacked:<9}  "
        f"exit {figures['exit']}  guard+open {figures.get('seconds', float('nan')):6.2f} s  "
        f"process {figures['wall']:6.2f} s (< {TIME_LIMIT_S})  "
        f"peak {figures['peak_mb']:5.0f} MB (< {PEAK_LIMIT_MB})  {'ok' if ok else 'FAIL'}"
    )
    print(f"{'':<34} -> {figures['outcome']}")
    return ok


def guard_cost(rows: int, directory: Path, repeat: int = 3) -> None:
    """The guard alone on a real persons workbook: its fast path (the bytes-level scan of ordinary
    sheets), the full XML scan it falls back to (forced here), inflating the parts and nothing else
    (the floor of any guard), and python-calamine's load of the same file. Best of `repeat`."""
    import io

    import import_bench
    from python_calamine import CalamineWorkbook

    from sheets import guard

    path = directory / "persons.xlsx"
    import_bench.generate(path, rows)
    data = path.read_bytes()
    limits = guard.Limits.from_settings()

    class FullScanOnly(guard._FastSheetScan):
        def feed(self, chunk: bytes) -> None:
            raise guard._Unusual

    def run_guard():
        return guard._Guard(data, limits).run()

    def run_full_scan():
        fast = guard._FastSheetScan
        guard._FastSheetScan = FullScanOnly
        try:
            return guard._Guard(data, limits).run()
        finally:
            guard._FastSheetScan = fast

    def inflate_only():
        unpacking = guard._Guard(data, limits)
        for info in __import__("zipfile").ZipFile(io.BytesIO(data)).infolist():
            unpacking._inflate(info, None)

    def calamine_load():
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for _row in workbook.get_sheet_by_index(0).iter_rows():
            pass
        workbook.close()

    timings = {
        "guard": run_guard,
        "full scan": run_full_scan,
        "inflate": inflate_only,
        "calamine": calamine_load,
    }
    best = dict.fromkeys(timings, float("inf"))
    for _ in range(repeat):  # interleaved, the best of each kept: the machine is shared
        for name, step in timings.items():
            started = time.perf_counter()
            step()
            best[name] = min(best[name], time.perf_counter() - started)
    extent = run_guard()
    assert extent == run_full_scan()
    print(
        f"guard on a {rows:,}-row persons workbook ({len(data) / 2**20:.1f} MB, sheet {extent.max_row:,} rows × "
        f"{extent.max_column} columns, {extent.cells:,} cells), best of {repeat}:"
    )
    print(
        f"  guard (fast path) {best['guard']:.3f} s | guard through the full XML scan {best['full scan']:.3f} s | "
        f"inflating the parts only {best['inflate']:.3f} s | python-calamine load {best['calamine']:.3f} s"
    )
    print(
        f"  guard / calamine {best['guard'] / best['calamine']:.2f} (full scan: "
        f"{best['full scan'] / best['calamine']:.2f}); guard / inflate {best['guard'] / best['inflate']:.1f} "
        f"(full scan: {best['full scan'] / best['inflate']:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, default=50_000, help="rows of the real workbook timed through the guard"
    )
    parser.add_argument(
        "--skip-issue-bomb", action="store_true", help="do not build the 600 MB bomb (slow to write)"
    )
    parser.add_argument(
        "--guard-cost-only",
        action="store_true",
        help="only time the guard on the real workbook of --rows rows",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timings of the guard's cost: the best is kept")
    args = parser.parse_args()
    if args.guard_cost_only:
        with tempfile.TemporaryDirectory() as tmp:
            guard_cost(args.rows, Path(tmp), args.repeat)
        return
    limit = settings.IMPORT_MAX_FILE_BYTES
    print(
        f"limits: upload {limit / 2**20:.0f} MB, unpacked {settings.IMPORT_MAX_UNPACKED_BYTES / 2**20:.0f} MB, "
        f"ratio {settings.IMPORT_MAX_COMPRESSION_RATIO}, {settings.IMPORT_MAX_DATA_ROWS:,} data rows, "
        f"{settings.IMPORT_MAX_COLUMNS} columns, {settings.IMPORT_MAX_CELLS:,} cells, {settings.IMPORT_MAX_PARTS} parts"
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)

        def file(name: str, data: bytes) -> Path:
            path = directory / name
            path.write_bytes(data)
            return path

        ok &= report("corner cell XFD1048576", file("corner.xlsx", hostile.corner_cell()), "1 KB")
        ok &= report("last row A1048576", file("last_row.xlsx", hostile.last_row()), "1 KB")
        ok &= report("last column XFD2", file("last_column.xlsx", hostile.last_column()), "1 KB")
        ok &= report("lying <dimension>", file("dimension.xlsx", hostile.lying_dimension()), "1 KB")
        ok &= report(
            "shared-string bomb 20,000 × 30 KB", file("strings.xlsx", hostile.shared_string_bomb()), "600 MB*"
        )
        ok &= report(
            "part bigger than declared", file("bigger.xlsx", hostile.part_bigger_than_declared()), "15 KB"
        )
        if not args.skip_issue_bomb:
            path = directory / "issue_bomb.xlsx"
            started = time.perf_counter()
            hostile.decompression_bomb(path, rows=40_000, columns=1_000)
            print(f"(writing the issue's bomb took {time.perf_counter() - started:.0f} s)")
            ok &= report("issue's bomb 40,000 × 1,000 cells", path, "~600 MB")
        path = directory / "text_bomb.xlsx"
        unpacked = hostile.repeated_bomb(path, compressed_bytes=limit - 4096)
        ok &= report("text bomb at the upload limit, lying", path, f"{unpacked / 2**30:.0f} GB")
        path = directory / "wide_bomb.xlsx"
        row = ("<row>" + "<c><v>1</v></c>" * 100 + "</row>").encode()
        unpacked = hostile.repeated_bomb(path, compressed_bytes=limit - 4096, row=row)
        ok &= report("numeric bomb at the upload limit", path, f"{unpacked / 2**30:.0f} GB")
        print("* what python-calamine would expand the cells' text to")
        path = directory / "near_limits.xlsx"
        hostile.near_the_limits(path)
        ok &= report("accepted: 200,000 rows × 20 numbers", path, "~75 MB")
        guard_cost(args.rows, directory, args.repeat)
    print("all within the limits" if ok else "SOME FILE BROKE A LIMIT")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
