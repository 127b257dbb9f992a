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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    args = parser.parse_args()

    benchkit.setup_django()
    from django.core.management import call_command
    from django.db import transaction

    from registry import demo
    from registry.filters import search_persons
    from registry.models import Person

    call_command("migrate", verbosity=0)
    have = Person.objects.count()
    if have < args.persons:
        started = time.monotonic()
        Person.objects.all().delete() if have else None
        generator = demo.DemoGenerator(seed=2025, chunk_size=20000)
        streets, _ = generator.ensure_communities()
        with transaction.atomic():
            for chunk in generator.persons(args.persons, streets):
                demo.write_rows(Person, demo.PERSON_COLUMNS, chunk)
        demo.reset_sequences()
        demo.analyze()
        print(f"generated {args.persons} persons in {time.monotonic() - started:.0f} s")
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
