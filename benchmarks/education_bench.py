"""教育助学 benchmark: the lists, the figures and the 送教上门 gap list at 100,000 aid records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_h4_bench \
        .venv/bin/python benchmarks/education_bench.py --records 100000

Fills the database with the registry demo's persons and surveys (`--persons`, default 40,000: some
2,400 children of 6–14, ~4 % of them surveyed 未入学), then N aid records (set-based INSERT ... SELECT
over the persons under 26, dated 2020 to today, every stage and kind) and N/5 送教上门 visits. Then
prints the median server time (Django test client, `--requests` requests after a warm-up) of each
list, the figures and the gap list, with its query count, next to the floor (issue 15: 300 ms).
`--keep` reuses what is there. The database named by DATABASE_URL is overwritten; never point it at
production.
"""

from __future__ import annotations

import benchkit

benchkit.use_database("postgres://postgres@127.0.0.1:5432/gulou_h4_bench")

FLOOR_MS = 300
AIDS = """
INSERT INTO education_educationaid (person_id, stage, school, kind, aid_date, amount, notes, created_at, updated_at)
SELECT p.ids[1 + g %% array_length(p.ids, 1)],
       (ARRAY['preschool', 'compulsory', 'compulsory', 'high_school', 'university'])[1 + g %% 5],
       '南京市第' || (g %% 40) || '中学',
       (ARRAY['grant', 'grant', 'grant', 'award', 'home_teaching', 'other'])[1 + (g / 7) %% 6],
       CURRENT_DATE - (g %% 2500),
       CASE WHEN (g / 7) %% 6 = 4 THEN NULL ELSE 500 + (g %% 30) * 100 END,
       '', now(), now()
FROM generate_series(1, %(n)s) AS g,
     (SELECT array_agg(id ORDER BY id) AS ids FROM registry_person WHERE birth_date > CURRENT_DATE - 26 * 365) AS p
ON CONFLICT DO NOTHING;
"""
VISITS = """
INSERT INTO education_hometeachingvisit (person_id, visit_date, teacher, content, created_at, updated_at)
SELECT p.ids[1 + g %% array_length(p.ids, 1)], CURRENT_DATE - (g %% 2500), '王老师', '生活自理训练', now(), now()
FROM generate_series(1, %(n)s) AS g,
     (SELECT array_agg(id ORDER BY id) AS ids FROM registry_person
      WHERE birth_date > CURRENT_DATE - 17 * 365 AND id %% 3 = 0) AS p
ON CONFLICT DO NOTHING;
"""


def _fill(args) -> str:
    from django.db import connection, transaction

    from education.models import EducationAid, HomeTeachingVisit
    from registry.models import Person
    from registry.tests.factories import generate_registry

    if Person.objects.count() < args.persons:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE registry_person, registry_survey, education_educationaid, "
                "education_hometeachingvisit RESTART IDENTITY CASCADE"
            )
        generate_registry(args.persons, seed=15)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM education_hometeachingvisit")
        cursor.execute("DELETE FROM education_educationaid")
        cursor.execute(AIDS, {"n": args.records})
        cursor.execute(VISITS, {"n": args.records // 5})
    benchkit.vacuum_analyze(
        "registry_person", "registry_survey", "education_educationaid", "education_hometeachingvisit"
    )
    return (
        f"{Person.objects.count():,} persons, {EducationAid.objects.count():,} aid records and "
        f"{HomeTeachingVisit.objects.count():,} visits"
    )


def main() -> int:
    args = benchkit.page_args(__doc__, records=100_000, persons=40_000)
    staff, clerk, official = benchkit.setup_page_bench()
    from django.urls import reverse

    from education import selectors
    from education.models import EducationAid

    benchkit.refill(args, EducationAid, lambda: _fill(args))

    year = selectors.default_year()
    records, visits = reverse("education:record_list"), reverse("education:visit_list")
    gaps, figures = reverse("education:gap_list"), reverse("education:figures")
    pages = [
        ("aid list (staff)", staff, records),
        ("aid list p.500", staff, f"{records}?page=500"),
        (f"aid list {year} 助学补贴", staff, f"{records}?year={year}&kind=grant"),
        ("aid list search", staff, f"{records}?q=张"),
        ("aid list (clerk)", clerk, records),
        ("visit list (staff)", staff, visits),
        (f"figures {year}", official, f"{figures}?year={year}"),
        (f"gap list {year} (staff)", staff, f"{gaps}?year={year}"),
        (f"gap list {year} (clerk)", clerk, f"{gaps}?year={year}"),
        (f"gap counts {year} (official)", official, f"{gaps}?year={year}"),
    ]
    gap_total = selectors.gap_persons(year).count()
    print(f"gap list {year}: {gap_total} children (6–15, 未入学, no 送教上门)")
    worst = benchkit.time_pages(pages, runs=args.requests, floor_ms=FLOOR_MS)
    return 0 if worst < FLOOR_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
