"""The guard remembers the verdicts of the last files it passed, and forgets them when asked.

The web upload checks one file twice (its row count, then the preview) and pays the scan once;
benchmarks/import_bench.py forgets the verdicts before each timed import, so that every import pays
the scan as the worker that imports a confirmed upload does.
"""

from imports.tests.factories import person_row, persons_workbook
from sheets import guard


def counting_scans(monkeypatch) -> list:
    scans = []
    run = guard._Guard.run

    def counted(self):
        scans.append(self)
        return run(self)

    monkeypatch.setattr(guard._Guard, "run", counted)
    return scans


def test_a_file_passed_once_is_not_scanned_again(monkeypatch):
    scans = counting_scans(monkeypatch)
    data = persons_workbook(person_row())
    guard.forget_verdicts()

    first = guard.check_workbook(data)
    again = guard.check_workbook(data)

    assert len(scans) == 1
    assert again == first
    assert first.rows == 2


def test_forgotten_verdicts_make_the_next_check_scan_the_file_again(monkeypatch):
    scans = counting_scans(monkeypatch)
    data = persons_workbook(person_row(), person_row())
    guard.check_workbook(data)
    scanned = len(scans)

    guard.forget_verdicts()
    extent = guard.check_workbook(data)

    assert len(scans) == scanned + 1
    assert extent.rows == 3
