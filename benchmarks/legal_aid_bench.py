"""法律救助 benchmark: the two lists and the yearly figures at 100,000 consultations and 100,000
aid cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_h2_bench \
        .venv/bin/python benchmarks/legal_aid_bench.py --records 100000

Fills the database with `--persons` persons (the demo's generator, COPY), then N consultations (70 %
by persons, 30 % anonymous, over three years, every street) and N aid cases (80 % closed, many with
an amount) with set-based INSERT ... SELECT. Prints the median server time (Django test client,
`--requests` requests) and query count of each list page (staff, a clerk, a late page, a search, a
filter) and of the figures page, next to the floor of issue 15: 300 ms. `--keep` reuses what is
there. The database named by DATABASE_URL is overwritten; never point it at production.
"""

from __future__ import annotations

import benchkit

benchkit.use_database("postgres://postgres@127.0.0.1:5432/gulou_h2_bench")

FLOOR_MS = 300
CONSULTATIONS = """
INSERT INTO legal_aid_consultation
  (number, consulted_on, street_id, person_id, visitor_name, channel, topic, summary, reply, handled_by,
   created_at, updated_at)
SELECT 'B-' || lpad(g::text, 7, '0'), CURRENT_DATE - (g %% 1095),
       COALESCE(p.street_id, s.ids[1 + g %% array_length(s.ids, 1)]), p.id,
       CASE WHEN p.id IS NULL THEN '匿名' ELSE '' END,
       (ARRAY['visit', 'phone', 'online', 'outreach'])[1 + g %% 4],
       (ARRAY['family', 'labour', 'social_security', 'housing', 'tort', 'contract', 'inheritance', 'other'])[1 + g %% 8],
       '用人单位拖欠工资如何维权', '已解答', '王律师', now(), now()
FROM generate_series(1, %(n)s) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM registry_street) AS s
LEFT JOIN registry_person p ON g %% 10 >= 3 AND p.id = %(first)s + (g * 7919) %% %(persons)s;
"""
CASES = """
INSERT INTO legal_aid_aidcase
  (person_id, street_id, kind, subject, counsel, opened_on, closed_on, outcome, amount_recovered, notes,
   created_at, updated_at)
SELECT p.id, p.street_id,
       (ARRAY['litigation', 'mediation', 'referral', 'document', 'other'])[1 + (g / %(persons)s) %% 5],
       '劳动争议', '鼓楼区法律援助中心', o.opened,
       CASE WHEN g %% 10 < 8 THEN LEAST(o.opened + g %% 120, CURRENT_DATE) END,
       CASE WHEN g %% 10 < 8 THEN 'done' ELSE '' END,
       CASE WHEN g %% 10 < 5 THEN (g %% 500) * 100 END, '', now(), now()
FROM generate_series(1, %(n)s) AS g
JOIN registry_person p ON p.id = %(first)s + g %% %(persons)s
CROSS JOIN LATERAL (SELECT CURRENT_DATE - 1 - (g %% 1095) AS opened) AS o;
"""


def _fill_persons(count: int) -> None:
    from registry import demo
    from registry.models import Person

    generator = demo.DemoGenerator(seed=15, chunk_size=5000)
    streets, _ = generator.ensure_communities()
    for chunk in generator.persons(count, streets):
        demo.write_rows(Person, demo.PERSON_COLUMNS, chunk)
    demo.reset_sequences()


def _fill(args) -> str:
    from django.db import connection, transaction
    from django.db.models import Max, Min

    from legal_aid.models import AidCase, Consultation
    from registry.models import Person

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE legal_aid_consultation, legal_aid_aidcase")
    if Person.objects.count() < args.persons:
        _fill_persons(args.persons - Person.objects.count())
    bounds = Person.objects.aggregate(first=Min("pk"), last=Max("pk"))
    params = {
        "n": args.records,
        "first": bounds["first"],
        "persons": bounds["last"] - bounds["first"] + 1,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CONSULTATIONS, params)
        cursor.execute(CASES, params)
    benchkit.vacuum_analyze("registry_person", "legal_aid_consultation", "legal_aid_aidcase")
    return (
        f"{Consultation.objects.count():,} consultations and {AidCase.objects.count():,} aid cases "
        f"({Person.objects.count():,} persons)"
    )


def main() -> int:
    # --records: consultations, and as many aid cases
    args = benchkit.page_args(__doc__, records=100_000, persons=100_000)
    staff, clerk, official = benchkit.setup_page_bench()
    from django.urls import reverse

    from core.periods import today
    from legal_aid.models import AidCase

    benchkit.refill(args, AidCase, lambda: _fill(args))

    year = today().year
    index, cases, figures = (
        reverse("legal_aid:index"),
        reverse("legal_aid:case_list"),
        reverse("legal_aid:figures"),
    )
    pages = [
        ("consultations (staff)", staff, index),
        ("consultations p.500", staff, index + "?page=500"),
        ("consultations search", staff, index + "?q=匿名"),
        ("consultations topic+year", staff, index + f"?topic=labour&year={year - 1}"),
        ("consultations (clerk)", clerk, index),
        ("aid cases (staff)", staff, cases),
        ("aid cases p.500", staff, cases + "?page=500"),
        ("aid cases long open", staff, cases + "?state=long_open"),
        ("aid cases kind+year", staff, cases + f"?kind=mediation&year={year - 1}"),
        ("aid cases (clerk)", clerk, cases),
        ("figures this year", official, figures),
        ("figures last year", official, figures + f"?year={year - 1}"),
        ("API consultations", staff, reverse("legal_aid_api:consultation-list")),
        ("API aid cases", staff, reverse("legal_aid_api:case-list")),
    ]
    worst = benchkit.time_pages(pages, runs=args.requests, floor_ms=FLOOR_MS)
    return 0 if worst < FLOOR_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
