"""Helpers of the domain apps' demo generators: reading persons in chunks, dates, table statistics."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection

from registry.models import Person

PERSON_FACTS = ("pk", "birth_date", "category", "grade", "issued_on", "status", "status_changed_on")


@dataclass
class PersonFacts:
    """A person as the demo generators need him (read with PERSON_FACTS), with his surveys by year."""

    pk: int
    birth: dt.date
    category: str
    grade: str
    issued: dt.date
    status: str
    changed: dt.date | None
    surveys: dict[int, tuple] = field(default_factory=dict)


def person_rows(columns: Sequence[str], chunk_size: int) -> Iterator[list[tuple]]:
    """All persons' `columns` (the first one the primary key) in id order, keyset-paged by chunks."""
    last_pk = 0
    while True:
        rows = list(Person.objects.filter(pk__gt=last_pk).order_by("pk").values_list(*columns)[:chunk_size])
        if not rows:
            return
        last_pk = rows[-1][0]
        yield rows


def in_registry_on(issued: dt.date, status: str, changed: dt.date | None, date: dt.date) -> bool:
    """In the registry on `date`: certified by then and not yet left (status change after it)."""
    return issued <= date and (status == "active" or (changed is not None and changed > date))


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A random day from `first` through `last` (`first` when the span is empty)."""
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def analyze_table(model) -> None:
    """Fresh planner statistics after a bulk write (PostgreSQL), for the first pages and indicator runs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
