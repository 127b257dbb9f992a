"""One indicator run at a time, across processes (web, Celery workers, the command line)."""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

# pg advisory lock key: a fixed 64-bit number owned by the indicators app.
ADVISORY_LOCK_KEY = 0x6755_4C4F_0001


@contextmanager
def computation_lock() -> Iterator[bool]:
    """Yields True when this process holds the lock, False when another run holds it.

    PostgreSQL: a session-level advisory lock, released when the block ends or the connection dies
    (a killed worker never leaves it behind). SQLite (the quick start): an flock() on a file named
    after the database, which the operating system also releases when the process ends.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        return
    with _file_lock() as acquired:
        yield acquired


def _lock_path() -> Path:
    name = str(connection.settings_dict.get("NAME", "default"))
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"gulou-indicators-{digest}.lock"


@contextmanager
def _file_lock() -> Iterator[bool]:
    with open(_lock_path(), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def computation_in_progress() -> bool:
    """Whether another process holds the lock now (a run row left 'running' by a killed worker
    does not count: the next run marks it interrupted)."""
    with computation_lock() as acquired:
        return not acquired
