"""An import eases Python's cycle collector for its duration and gives it back as it found it, whatever
happens and however many imports a process runs at once."""

import gc
import threading

import pytest

from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook
from sheets import engine


@pytest.fixture
def collector():
    """The collector as the process had it, checked to be back after the test."""
    before = gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()
    yield before
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before


def test_the_collector_is_eased_during_an_import_only(collector):
    with engine._collector_set_aside():
        assert gc.get_threshold()[0] == max(collector[0][0], engine.GC_YOUNG_OBJECTS)
        assert gc.get_threshold()[1:] == collector[0][1:]
    assert gc.get_threshold() == collector[0]


@pytest.mark.django_db
def test_a_bad_file_and_a_good_one_give_the_collector_back(collector):
    assert run_import("persons", b"not a workbook").errors
    assert run_import("persons", persons_workbook(person_row())).created == 1


@pytest.mark.django_db
def test_an_unexpected_error_gives_the_collector_back(collector, monkeypatch):
    def fail(self, data, progress):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine.BulkImporter, "run", fail)
    with pytest.raises(RuntimeError):
        run_import("persons", b"anything")


def test_overlapping_imports_restore_the_collector_when_the_last_one_ends(collector):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with engine._collector_set_aside():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with engine._collector_set_aside():
            second_in.set()
            first_out.wait(5)
            seen["while the second runs on"] = gc.get_threshold()[0]

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    # the first import to end did not hand the second one the default back, and the second one did
    # not keep the raised threshold for the process once both had ended
    assert seen["while the second runs on"] == max(collector[0][0], engine.GC_YOUNG_OBJECTS)


def test_a_switched_off_collector_is_left_alone(collector):
    gc.disable()
    try:
        with engine._collector_set_aside():
            assert gc.get_threshold() == collector[0]
            assert gc.get_freeze_count() == collector[1]
            assert not gc.isenabled()
    finally:
        gc.enable()
