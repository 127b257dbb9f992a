"""Person search at scale: ID-number tail, phone, pinyin initials and name fragments (issue 14 §4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \\
        .venv/bin/python benchmarks/person_search_bench.py [--persons 1000000]

Fills registry_person with the demo generator's persons (registry rows only, COPY) up to N when it
holds fewer, then prints for each kind of search the median of 6 runs (after a warm-up) of what the
person list does: the count and the first page of 50 sorted by pinyin. Never point it at production.
"""

from __future__ import annotations

import argparse
import statistics
import time

import benchkit

benchkit.use_database()


def _median_ms(run, runs: int = 6) -> float:
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _generate(count: int) -> None:
    """The demo generator's persons, registry rows only (COPY), in place of what is there."""
    from django.db import transaction

    from registry import demo
    from registry.models import Person

    Person.objects.all().delete()
    generator = demo.DemoGenerator(seed=2025, chunk_size=20000)
    streets, _ = generator.ensure_communities()
    with transaction.atomic():
        for chunk in generator.persons(count, streets):
            demo.write_rows(Person, demo.PERSON_COLUMNS, chunk)
    demo.reset_sequences()
    demo.analyze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    args = parser.parse_args()

    benchkit.setup_django()
    from registry.filters import search_persons
    from registry.models import Person

    benchkit.ensure_persons(args.persons, lambda: _generate(args.persons))
    sample = Person.objects.exclude(phone="").order_by("id")[args.persons // 2]
    print(f"persons {Person.objects.count()}")
    searches = [
        ("ID number, last 4 digits", sample.id_number[-4:]),
        ("ID number, last 6 digits", sample.id_number[-6:]),
        ("ID number, last 8 digits", sample.id_number[-8:]),
        ("phone number", sample.phone),
        ("phone, last 4 digits", sample.phone[-4:]),
        ("pinyin initials (2 letters)", sample.name_initials[:2]),
        ("pinyin initials (full)", sample.name_initials),
        ("name fragment", sample.name[-2:]),
    ]
    base = Person.objects.select_related("street", "community").order_by("name_pinyin", "id")
    for label, text in searches:
        queryset = search_persons(base, text)

        def run(queryset=queryset):
            queryset.order_by().count()
            list(queryset[:50])

        count = queryset.order_by().count()
        print(f"{label} ({text!r}): {count} found, count + first page {_median_ms(run):.1f} ms")


if __name__ == "__main__":
    main()
