"""The district-wide gap lists read the survey table through their partial indexes (issue 10).

Each gap list's page of ids (selectors.gap_person_ids) filters the year's surveys on the condition of
its denominator; a partial index on that condition keeps the read to the few rows that can be in the
list. The test proves the planner can use it: PostgreSQL only, with the other survey indexes dropped
inside the test's transaction (rolled back with it) so that none of them competes, and sequential
scans discouraged, as they would be on a large table.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import selectors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL partial indexes"),
]

GAP_INDEXES = [
    ("K04", "survey_gap_low_income"),
    ("K06", "survey_gap_insurance"),
    ("K08", "survey_gap_needs_rehab"),
    ("K09", "survey_gap_needs_device"),
]


def _only_survey_index(keep: str) -> None:
    with connection.cursor() as cursor:
        # deferred constraint triggers of the test's writes would block DROP INDEX
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'registry_survey' "
            "AND indexname NOT IN (%s, 'registry_survey_pkey')",
            [keep],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE registry_survey DROP CONSTRAINT IF EXISTS "{name}"')
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("code", "index"), GAP_INDEXES)
def test_gap_list_page_reads_surveys_through_its_partial_index(code, index, role_users):
    # given: no survey index but the primary key and the one under test
    _only_survey_index(index)
    # when: a page of the district-wide gap list is read
    with CaptureQueriesContext(connection) as queries:
        selectors.gap_person_ids(code, 2025, None, user=role_users["staff"], offset=0, limit=50)
    # then: its plan reads the surveys through the index
    [sql] = [q["sql"] for q in queries.captured_queries if "registry_survey" in q["sql"]]
    assert index in _plan(sql)


def test_k04_reads_the_severely_disabled_through_their_partial_index(role_users):
    # given: sequential scans discouraged, as on a large register
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # when: a page of K04's district-wide gap list is read
    with CaptureQueriesContext(connection) as queries:
        selectors.gap_person_ids("K04", 2025, None, user=role_users["staff"], offset=0, limit=50)
    # then: its nursing-allowance part reads the persons of its denominator from person_severe
    [sql] = [q["sql"] for q in queries.captured_queries if "registry_survey" in q["sql"]]
    assert "person_severe" in _plan(sql)
