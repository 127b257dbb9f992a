"""信访与维权 benchmark: the case lists, the overdue and due-soon lists and the figures page at
100,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_h1_bench \
        .venv/bin/python benchmarks/cases_bench.py --cases 100000

Fills the database with N cases received over three years up to today across the 13 streets and
the nine sources (set-based INSERT ... SELECT): about 90 % closed with a reply and an outcome, most
of them on time, the others open, one in fifty open for months (overdue). Then prints the median
server time (Django test client, `--requests` requests) of each list and figures page with its
query count, next to the floor of issue 15 (300 ms). `--keep` reuses the cases already there. The
database named by DATABASE_URL is overwritten; never point it at production.
"""

from __future__ import annotations

import benchkit

benchkit.use_database("postgres://postgres@127.0.0.1:5432/gulou_h1_bench")

FLOOR_MS = 300
FILL = """
INSERT INTO cases_case
  (number, source, received_on, person_id, petitioner, phone, street_id, subject, category, content,
   deadline, deadline_from_rule, assignee, reply, replied_on, outcome, satisfaction, closed_on,
   created_at, updated_at)
SELECT 'B-' || g,
       (ARRAY['letter','visit','online','12385','12345','12345','12345','96180','npc','cppcc','other'])[1 + g %% 11],
       r.received, NULL, '来件人' || g, '', s.ids[1 + g %% array_length(s.ids, 1)], '事由' || g,
       (ARRAY['subsidy','rehab','employment','accessibility','care','education','legal','other'])[1 + g %% 8], '',
       r.received + 7, TRUE, '区残联维权科',
       CASE WHEN c.closed IS NULL THEN '' ELSE '已答复' END, c.closed,
       CASE WHEN c.closed IS NULL THEN '' ELSE 'resolved' END,
       CASE WHEN c.closed IS NULL THEN 'unrated' ELSE 'satisfied' END, c.closed, now(), now()
FROM generate_series(1, %(n)s) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM registry_street) AS s
CROSS JOIN LATERAL (SELECT CURRENT_DATE - (g %% 1095) AS received) AS r
CROSS JOIN LATERAL (
  SELECT CASE WHEN g %% 50 = 0 OR (r.received > CURRENT_DATE - 30 AND g %% 3 = 0) THEN NULL
              ELSE LEAST(r.received + (g %% 12), CURRENT_DATE) END AS closed
) AS c;
"""


def _fill(args) -> str:
    from django.db import connection, transaction

    from cases.models import Case, CaseAction

    with transaction.atomic(), connection.cursor() as cursor:
        CaseAction.objects.all().delete()
        cursor.execute("DELETE FROM cases_case")
        cursor.execute(FILL, {"n": args.cases})
    benchkit.vacuum_analyze("cases_case")
    return f"{Case.objects.count():,} cases"


def main() -> int:
    args = benchkit.page_args(__doc__, cases=100_000)
    staff, clerk, official = benchkit.setup_page_bench()
    from django.urls import reverse

    from cases import selectors
    from cases.models import Case
    from core.periods import today

    benchkit.refill(args, Case, lambda: _fill(args))

    year = today().year
    pages = [
        ("case list (staff)", staff, reverse("cases:case_list")),
        ("case list p.500", staff, reverse("cases:case_list") + "?page=500"),
        ("case list, open", staff, reverse("cases:case_list") + "?status=open"),
        ("case list (clerk)", clerk, reverse("cases:case_list")),
        ("overdue list (staff)", staff, reverse("cases:overdue_list")),
        ("overdue list (clerk)", clerk, reverse("cases:overdue_list")),
        ("due-soon list", staff, reverse("cases:due_soon_list")),
        ("figures (year)", official, reverse("cases:figures") + f"?year={year - 1}"),
        ("figures (month)", official, reverse("cases:figures") + f"?year={year}&month=3"),
    ]
    counts = {
        "case list (staff)": selectors.case_list(user=staff).count(),
        "case list (clerk)": selectors.case_list(user=clerk).count(),
        "overdue list (staff)": selectors.overdue(user=staff).count(),
        "overdue list (clerk)": selectors.overdue(user=clerk).count(),
        "due-soon list": selectors.due_soon(user=staff).count(),
    }
    worst = benchkit.time_pages(pages, runs=args.requests, floor_ms=FLOOR_MS, rows=counts)
    return 0 if worst < FLOOR_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
