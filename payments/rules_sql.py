"""The rules of payments.md as one PostgreSQL statement: the set work stays in the database.

`payments.rules` evaluates the rules in Python, person by person (the reference engine, and the one
SQLite's quick start uses). This module states the same rules as SQL so that PostgreSQL computes a
roll without a per-line round trip: the build is one INSERT ... SELECT (lines, held grants and
recoveries written by data-modifying CTEs), the preview one SELECT. Tests check that both engines
give identical rolls (payments/tests/test_sql_engine.py).

How the statement works (months are integer indices, year * 12 + month - 1):
- `cand`: every grant of a roll kind with its due months clipped to the person's window
  [lo, hi] (conditions 2-4 of payments.md; the window starts at the street's history start, or at
  the month itself without history).
- `pairs`: per (person, kind), the candidate grants and the approved lines already paid in the
  window, aggregated. A pair is **steady** when it has one candidate grant at one amount over its
  due months, and was paid exactly for each past due month at that amount: then the only result is
  the month's regular line (recorded recoveries cannot matter: nothing was paid beyond what is due).
  That is nearly every pair, and needs no month-by-month walk.
- every other pair is expanded month by month (generate_series), the grant to pay chosen with
  ROW_NUMBER() OVER (PARTITION BY person, kind, month ORDER BY start_month DESC, id DESC) (the later
  start wins, then the later grant), compared with what approved rolls paid (anti-joins): arrears
  lines, held grants (`duplicate`, `no_amount`) and recoveries (paid minus due minus recorded).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from core.models import Street
from payments.models import ROLL_KINDS, HeldReason, LineType
from payments.rules import history_window, last_day, month_index
from registry.models import PersonStatus
from subsidies.models import GrantKind

BIG = 10**9
WORK_MEM = "256MB"


def available() -> bool:
    return connection.vendor == "postgresql"


def _idx(column: str) -> str:
    return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"


def _date(column: str) -> str:
    return f"make_date({column} / 12, mod({column}, 12) + 1, 1)"


KIND_ORDER_SQL = (
    "CASE {col} "
    + " ".join(f"WHEN '{kind.value}' THEN {index}" for index, kind in enumerate(ROLL_KINDS))
    + " END"
)
TEMP = GrantKind.TEMPORARY_AID.value
ROLL_KIND_VALUES = [kind.value for kind in ROLL_KINDS]


def _params(month: dt.date, street: Street | None, with_history: bool) -> tuple[dict, bool]:
    """The statement's parameters (two small queries: history starts, streets)."""
    month = month.replace(day=1)
    month_i = month_index(month)
    window_start, firsts = history_window(month, street, with_history=with_history)
    street_ids = list(Street.objects.values_list("pk", flat=True))
    # every street's window starts in the same month: the paid lines need no join to their person
    uniform = street is None and len({firsts.get(pk, month_i) for pk in street_ids}) <= 1
    params = {
        "month": month,
        "month_i": month_i,
        "last_day": last_day(month),
        "window_start": window_start,
        "start_streets": list(firsts.keys()),
        "start_months": list(firsts.values()),
        "street": street.pk if street is not None else None,
        "kinds": ROLL_KIND_VALUES,
        "active": PersonStatus.ACTIVE.value,
        "temp": TEMP,
        "big": BIG,
    }
    return params, uniform


def _result_ctes(street: Street | None, uniform: bool) -> str:
    """WITH ... result AS (...): what, person, street, grant, kind, month index, amount, reason, type,
    and the order keys (ID number, kind order, month, rank)."""
    street_on_person = "AND p.street_id = %(street)s" if street is not None else ""
    if uniform:
        paid_source = f"""
            SELECT l.person_id, l.kind, {_idx("l.month")} AS m, l.amount
            FROM payments_rollline l
            WHERE l.paid AND l.month >= %(window_start)s AND l.month <= %(month)s"""
    else:
        paid_source = f"""
            SELECT l.person_id, l.kind, {_idx("l.month")} AS m, l.amount
            FROM payments_rollline l
            JOIN registry_person p ON p.id = l.person_id {street_on_person}
            LEFT JOIN starts s ON s.street_id = p.street_id
            WHERE l.paid AND l.month >= %(window_start)s AND l.month <= %(month)s
              AND {_idx("l.month")} >= COALESCE(s.wf, %(month_i)s)"""
    kind_order = KIND_ORDER_SQL.format(col="kind")
    return f"""
    WITH starts AS (
        SELECT * FROM unnest(%(start_streets)s::int[], %(start_months)s::int[]) AS t(street_id, wf)
    ),
    std AS MATERIALIZED (
        SELECT kind, {_idx("effective_month")} AS lo,
               COALESCE(LEAD({_idx("effective_month")}) OVER (PARTITION BY kind ORDER BY effective_month) - 1,
                        %(big)s) AS hi,
               monthly_amount AS amount
        FROM payments_standard WHERE kind <> %(temp)s
    ),
    cand AS MATERIALIZED (
        SELECT * FROM (
            SELECT g.id AS grant_id, g.person_id, g.kind, p.street_id, p.id_number,
                   {_idx("g.start_month")} AS start_i, g.monthly_amount AS amount,
                   GREATEST({_idx("g.start_month")}, {_idx("p.issued_on")}, COALESCE(s.wf, %(month_i)s)) AS lo,
                   LEAST(
                       CASE WHEN g.kind = %(temp)s THEN {_idx("g.start_month")}
                            ELSE COALESCE({_idx("g.end_month")}, %(big)s) END,
                       CASE WHEN p.status = %(active)s THEN %(big)s
                            ELSE COALESCE({_idx("p.status_changed_on")}, -1) END,
                       %(month_i)s) AS hi
            FROM subsidies_grant g
            JOIN registry_person p ON p.id = g.person_id {street_on_person}
            LEFT JOIN starts s ON s.street_id = p.street_id
            WHERE g.kind = ANY(%(kinds)s) AND g.start_month <= %(month)s
              AND (g.end_month IS NULL OR g.end_month >= %(window_start)s)
              AND p.issued_on <= %(last_day)s
              AND (p.status = %(active)s OR p.status_changed_on >= %(window_start)s)
        ) AS c
        WHERE lo <= hi
    ),
    cand_pk AS (
        SELECT person_id, kind, count(*) AS n, min(grant_id) AS grant_id, min(street_id) AS street_id,
               min(id_number) AS id_number, min(lo) AS lo, min(hi) AS hi, min(amount) AS amount
        FROM cand GROUP BY person_id, kind
    ),
    paid_pk AS (
        SELECT person_id, kind, count(*) AS n, min(m) AS mlo, max(m) AS mhi,
               min(amount) AS alo, max(amount) AS ahi
        FROM ({paid_source}) AS paid
        GROUP BY person_id, kind
    ),
    pairs AS (
        SELECT COALESCE(c.person_id, q.person_id) AS person_id, COALESCE(c.kind, q.kind) AS kind,
               c.n AS cn, c.grant_id, c.street_id, c.id_number, c.lo, c.hi, a.amount AS a,
               q.n AS qn, q.mlo, q.mhi, q.alo, q.ahi
        FROM cand_pk c
        FULL JOIN paid_pk q ON q.person_id = c.person_id AND q.kind = c.kind
        LEFT JOIN LATERAL (
            SELECT COALESCE(c.amount, (
                SELECT std.amount FROM std
                WHERE c.kind <> %(temp)s AND std.kind = c.kind AND std.lo <= c.lo AND c.hi <= std.hi
            )) AS amount
        ) AS a ON c.n = 1
    ),
    classified AS (
        SELECT *, COALESCE(
            cn = 1 AND a > 0 AND CASE
                WHEN LEAST(hi, %(month_i)s - 1) < lo THEN qn IS NULL
                ELSE qn = LEAST(hi, %(month_i)s - 1) - lo + 1 AND mlo = lo
                     AND mhi = LEAST(hi, %(month_i)s - 1) AND alo = a AND ahi = a
            END, FALSE) AS steady
        FROM pairs
    ),
    ns AS MATERIALIZED (
        SELECT k.person_id, k.kind, p.street_id, p.id_number, COALESCE(s.wf, %(month_i)s) AS wf
        FROM classified k
        CROSS JOIN LATERAL (
            SELECT street_id, id_number FROM registry_person WHERE id = k.person_id OFFSET 0
        ) AS p
        LEFT JOIN starts s ON s.street_id = p.street_id
        WHERE NOT k.steady
    ),
    ns_due AS MATERIALIZED (
        SELECT d.*, COALESCE(d.gamount, CASE WHEN d.kind <> %(temp)s THEN std.amount END) AS amount
        FROM (
            SELECT c.person_id, c.kind, c.street_id, c.id_number, c.grant_id, c.amount AS gamount, m,
                   ROW_NUMBER() OVER (
                       PARTITION BY c.person_id, c.kind, m ORDER BY c.start_i DESC, c.grant_id DESC
                   ) AS rn
            FROM cand c
            JOIN ns ON ns.person_id = c.person_id AND ns.kind = c.kind
            CROSS JOIN LATERAL generate_series(c.lo, c.hi) AS m
        ) AS d
        LEFT JOIN std ON std.kind = d.kind AND d.m BETWEEN std.lo AND std.hi
    ),
    ns_paid AS MATERIALIZED (
        SELECT ns.person_id, ns.kind, l.m, sum(l.amount) AS amount
        FROM ns
        CROSS JOIN LATERAL (  -- through the (person, kind, month) index: few pairs are not steady
            SELECT {_idx("month")} AS m, amount FROM payments_rollline
            WHERE person_id = ns.person_id AND kind = ns.kind AND paid
              AND month >= %(window_start)s AND month <= %(month)s
            OFFSET 0  -- keeps the planner from flattening this into a hash join over every line
        ) AS l
        WHERE l.m >= ns.wf
        GROUP BY 1, 2, 3
    ),
    ns_ledger AS (
        SELECT ns.person_id, ns.kind, r.m, sum(r.amount) AS amount
        FROM ns
        CROSS JOIN LATERAL (
            SELECT {_idx("month")} AS m, amount FROM payments_recovery
            WHERE person_id = ns.person_id AND kind = ns.kind
              AND month >= %(window_start)s AND month <= %(month)s
              AND roll_id IN (SELECT id FROM payments_roll WHERE state IN ('approved', 'paid'))
            OFFSET 0
        ) AS r
        GROUP BY 1, 2, 3
    ),
    unpaid AS (
        SELECT d.* FROM ns_due d
        WHERE NOT EXISTS (
            SELECT 1 FROM ns_paid q WHERE q.person_id = d.person_id AND q.kind = d.kind AND q.m = d.m
        )
    ),
    owed AS (
        SELECT q.person_id, ns.street_id, ns.id_number, q.kind, q.m,
               q.amount - CASE WHEN w.person_id IS NULL THEN 0 ELSE w.amount END
                        - COALESCE(led.amount, 0) AS amount,
               w.person_id IS NOT NULL AND w.amount IS NULL AS undecided
        FROM ns_paid q
        JOIN ns ON ns.person_id = q.person_id AND ns.kind = q.kind
        LEFT JOIN ns_due w ON w.person_id = q.person_id AND w.kind = q.kind AND w.m = q.m AND w.rn = 1
        LEFT JOIN ns_ledger led ON led.person_id = q.person_id AND led.kind = q.kind AND led.m = q.m
    ),
    result AS (
        SELECT 'line' AS what, person_id, street_id, id_number, grant_id, kind, %(month_i)s AS m, a AS amount,
               NULL AS reason, '{LineType.REGULAR.value}' AS type, 0::bigint AS rank
        FROM classified WHERE steady AND hi = %(month_i)s
        UNION ALL
        SELECT 'line', person_id, street_id, id_number, grant_id, kind, m, amount, NULL,
               CASE WHEN m = %(month_i)s THEN '{LineType.REGULAR.value}' ELSE '{LineType.ARREARS.value}' END, 0
        FROM unpaid WHERE rn = 1 AND amount > 0
        UNION ALL
        SELECT 'held', person_id, street_id, id_number, grant_id, kind, m, NULL,
               '{HeldReason.DUPLICATE.value}', NULL, rn
        FROM unpaid WHERE rn > 1
        UNION ALL
        SELECT 'held', person_id, street_id, id_number, grant_id, kind, m, NULL,
               '{HeldReason.NO_AMOUNT.value}', NULL, %(big)s
        FROM unpaid WHERE rn = 1 AND amount IS NULL
        UNION ALL
        SELECT 'recovery', person_id, street_id, id_number, NULL, kind, m, amount, NULL, NULL, 0
        FROM owed WHERE NOT undecided AND amount > 0
    ),
    ordered AS (
        SELECT *, {kind_order} AS kind_order FROM result
    )"""


ORDER = "id_number, kind_order, m, rank"


def write(
    month: dt.date, street: Street | None, rolls_by_street: dict[int, int], *, with_history: bool = True
) -> None:
    """Compute the roll and write its lines, held grants and recoveries into the draft rolls
    (`rolls_by_street`: street id → roll id) in one statement; streets not in it are left alone.
    Runs inside the build's transaction."""
    params, uniform = _params(month, street, with_history)
    params["roll_streets"] = list(rolls_by_street.keys())
    params["roll_ids"] = list(rolls_by_street.values())
    sql = (
        _result_ctes(street, uniform)
        + f""",
    targets AS (
        SELECT * FROM unnest(%(roll_streets)s::int[], %(roll_ids)s::int[]) AS t(street_id, roll_id)
    ),
    out AS MATERIALIZED (
        SELECT o.*, t.roll_id FROM ordered o JOIN targets t ON t.street_id = o.street_id
    ),
    new_lines AS (
        INSERT INTO payments_rollline
            (roll_id, person_id, grant_id, kind, month, amount, type, locked, paid, failed, failed_reason)
        SELECT roll_id, person_id, grant_id, kind, {_date("m")}, amount, type, FALSE, FALSE, FALSE, ''
        FROM out WHERE what = 'line' ORDER BY {ORDER}
    ),
    new_held AS (
        INSERT INTO payments_helditem (roll_id, person_id, grant_id, kind, month, reason)
        SELECT roll_id, person_id, grant_id, kind, {_date("m")}, reason
        FROM out WHERE what = 'held' ORDER BY {ORDER}
    )
    INSERT INTO payments_recovery (roll_id, person_id, kind, month, amount)
    SELECT roll_id, person_id, kind, {_date("m")}, amount
    FROM out WHERE what = 'recovery' ORDER BY {ORDER}
    """
    )
    with connection.cursor() as cursor:
        _settings(cursor)
        cursor.execute(sql, params)


def _settings(cursor) -> None:
    """For this transaction only: room for the statement's hash aggregates and sorts (grouping the
    paid lines of a large district must not spill to disk), and no JIT compilation (the generated
    month series make the planner's estimates large enough to trigger it, and compiling costs
    seconds where the statement itself needs a few)."""
    cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'; SET LOCAL jit = off")


def rows(month: dt.date, street: Street | None = None, *, with_history: bool = True) -> list[tuple]:
    """The roll as it would be built now: (what, ID number, name, street id, kind, month, amount,
    reason, type) rows, lines then held then recoveries, each in build order (one statement)."""
    params, uniform = _params(month, street, with_history)
    sql = (
        _result_ctes(street, uniform)
        + f"""
    SELECT o.what, o.id_number, p.name, o.street_id, o.kind, {_date("o.m")}, o.amount, o.reason, o.type
    FROM ordered o JOIN registry_person p ON p.id = o.person_id
    ORDER BY CASE o.what WHEN 'line' THEN 0 WHEN 'held' THEN 1 ELSE 2 END, o.{ORDER.replace(", ", ", o.")}
    """
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _settings(cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()
