"""办证 benchmark: the district review queue and the overdue list at 200,000 applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \
        .venv/bin/python benchmarks/certificates_bench.py --applications 200000

Fills the database with N applications spread over three years across the 13 streets (set-based
INSERT ... SELECT, through the step-order trigger: every step still passes the database's check), in
a mix of states: about 70 % decided, the rest waiting at 受理, 评定 or 街道初审, many of them past
the deadline. Then prints the median server time (Django test client, `--requests` requests) of the
review queue, the overdue list (first and a late page) and a clerk's list, with their query counts.
Goal (issue 13): under 300 ms each. `--keep` reuses the applications already there. The database
named by DATABASE_URL is overwritten; never point it at production.
"""

from __future__ import annotations

import benchkit

benchkit.use_database()

FILL = """
INSERT INTO certificates_application
  (name, id_number, phone, address, street_id, community_id, kind, reason, needs_assessment,
   person_id, received_on, received_by_id, state, decided_on, outcome, created_at)
SELECT '申请人' || g, lpad(g::text, 18, '9'), '', '', s.ids[1 + g %% array_length(s.ids, 1)], NULL,
       CASE WHEN g %% 10 < 7 THEN 'new' ELSE 'reissue' END,
       CASE WHEN g %% 10 < 7 THEN '' ELSE 'lost' END,
       g %% 10 < 7, NULL, CURRENT_DATE - (g %% 1095), %(intake)s, 'received', NULL, '', now()
FROM generate_series(1, %(n)s) AS g, (SELECT array_agg(id ORDER BY id) AS ids FROM registry_street) AS s;
"""
STEP = """
INSERT INTO certificates_applicationstep
  (application_id, sequence, kind, done_on, institution, assessed_on, category, grade, doctor,
   decision, reason, certificate_number, note, by_id, at)
SELECT a.id, {seq_expr}, '{kind}', a.received_on, {assessment}, {decision}, '', '', %(by)s, now()
FROM certificates_application a WHERE {where}
ORDER BY a.id;
"""
EMPTY_ASSESSMENT = "'', NULL, '', '', ''"
FULL_ASSESSMENT = "'鼓楼医院', a.received_on, '4', '2', '王医生'"


def _fill(cursor, n: int, intake: int, reviewer: int) -> None:
    cursor.execute("DELETE FROM certificates_application")  # steps: none when --keep is off
    cursor.execute(FILL, {"n": n, "intake": intake})

    def step(
        kind,
        where,
        *,
        seq="(SELECT count(*) + 1 FROM certificates_applicationstep s WHERE s.application_id = a.id)",
        assessment=EMPTY_ASSESSMENT,
        decision="'', ''",
    ):
        cursor.execute(
            STEP.format(seq_expr=seq, kind=kind, assessment=assessment, decision=decision, where=where),
            {"by": reviewer},
        )

    step("intake", "TRUE", seq="1")
    # every tenth application of the recent ones waits at 受理; the others move on
    step("assessment", "a.needs_assessment AND a.id %% 10 <> 1", seq="2", assessment=FULL_ASSESSMENT)
    step("street_review", "a.id %% 10 NOT IN (1, 2)", seq="CASE WHEN a.needs_assessment THEN 3 ELSE 2 END")
    step(
        "district_review",
        "a.id %% 10 NOT IN (1, 2, 3)",
        seq="CASE WHEN a.needs_assessment THEN 4 ELSE 3 END",
        decision="CASE WHEN a.id %% 13 = 0 THEN 'refuse' ELSE 'issue' END, CASE WHEN a.id %% 13 = 0 THEN '未达标准' ELSE '' END",
    )
    cursor.execute(
        "UPDATE certificates_application SET decided_on = received_on + 10, outcome = "
        "CASE WHEN id % 13 = 0 THEN 'refuse' ELSE 'issue' END WHERE state IN ('issued', 'refused')"
    )


def _refill(n: int, intake: int, reviewer: int) -> str:
    from django.db import connection, transaction

    from certificates.models import Application

    with transaction.atomic(), connection.cursor() as cursor:
        _fill(cursor, n, intake, reviewer)
    benchkit.vacuum_analyze("certificates_application", "certificates_applicationstep")
    return f"{Application.objects.count():,} applications"


def main() -> int:
    args = benchkit.page_args(__doc__, requests=9, applications=200_000)
    staff, clerk, _ = benchkit.setup_page_bench()
    from django.urls import reverse

    from certificates import selectors
    from certificates.models import Application
    from core.roles import Role

    reviewer = benchkit.bench_user("bench_reviewer", Role.DISTRICT_STAFF)
    benchkit.refill(args, Application, lambda: _refill(args.applications, staff.pk, reviewer.pk))

    pages = [
        ("review queue", staff, reverse("certificates:review_queue")),
        ("overdue list", staff, reverse("certificates:overdue_list")),
        ("overdue list p.100", staff, reverse("certificates:overdue_list") + "?page=100"),
        ("clerk's list", clerk, reverse("certificates:application_list")),
        ("statistics (year)", staff, reverse("certificates:statistics")),
    ]
    counts = {
        "review queue": selectors.review_queue(user=staff).count(),
        "overdue list": selectors.overdue(user=staff).count(),
        "clerk's list": selectors.application_list(user=clerk).count(),
    }
    benchkit.time_pages(pages, runs=args.requests, rows=counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
