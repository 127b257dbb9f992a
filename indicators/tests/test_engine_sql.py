"""The single-statement engine (PostgreSQL) against the queryset engine, and its query count."""

import datetime as dt
import json
import threading
import time

import pytest
from django.core.management import call_command
from django.db import DataError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from core.models import Street
from indicators import engine, engine_sql
from indicators.selectors import target_lookup
from indicators.tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not engine_sql.available(), reason="the single statement is PostgreSQL's"),
]


def compute_with(monkeypatch, use_sql: bool, years):
    monkeypatch.setattr(engine_sql, "available", lambda: use_sql)
    return engine.compute(years, target_lookup())


def edge_cases() -> None:
    """Records on the boundaries the masks must get right: the current, unfinished year (R = today),
    records dated after today, deaths on 31 December, ages on the cut-off days, a closed home."""
    ninghai = Street.objects.get(name="宁海路街道")
    late = f.PersonFactory(street=ninghai, issued_on=dt.date(2026, 11, 29))  # after R(2026)
    f.SurveyFactory(person=late, year=2026, dibao_eligible=True)
    dead = f.PersonFactory(
        street=ninghai,
        status="deceased",
        status_changed_on=dt.date(2024, 12, 31),
        birth=dt.date(2008, 12, 31),
    )
    f.SurveyFactory(person=dead, year=2024, medical_insurance="insured", needs_care=True)
    f.SurveyFactory(person=dead, year=2023, medical_insurance="insured", pension_insurance="insured")
    child = f.PersonFactory(street=ninghai, birth=dt.date(2011, 8, 31))  # 6 on 31 August 2017, 15 in 2026
    for year in (2017, 2025, 2026):
        f.SurveyFactory(person=child, year=year, education="regular", needs_device=True)
    f.GrantFactory(person=child, kind="dibao", start_month=dt.date(2026, 12, 1))  # starts after today
    f.GrantFactory(
        person=dead, kind="nursing", start_month=dt.date(2019, 3, 1), end_month=dt.date(2024, 1, 1)
    )
    f.PlacementFactory(person=dead, start_date=dt.date(2024, 12, 31))
    f.RehabServiceFactory(person=child, kind="device", service_date=dt.date(2026, 11, 30))  # after today
    f.RehabServiceFactory(person=child, kind="device", service_date=dt.date(2025, 12, 31))
    f.TrainingFactory(person=child, start_date=dt.date(2020, 12, 31))
    f.TrainingFactory(person=late, start_date=dt.date(2026, 11, 30))
    f.GraduateFactory(person=child, graduation_year=2026)
    f.EmploymentFactory(person=child, start_date=dt.date(2026, 11, 28))
    home = f.CareHomeFactory(street=ninghai, opened_on=dt.date(2021, 1, 1), closed_on=dt.date(2025, 12, 31))
    f.AuxProjectFactory(home=home, start_date=dt.date(2022, 5, 1), end_date=dt.date(2025, 1, 1))


def test_single_statement_gives_the_querysets_figures_for_every_indicator_year_and_street(monkeypatch):
    years = list(range(2017, 2028))
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=400, seed=11, stdout=None)
        edge_cases()
        by_querysets = compute_with(monkeypatch, False, years)
        by_sql = compute_with(monkeypatch, True, years)
    assert by_sql.values == by_querysets.values
    assert by_sql.coverage == by_querysets.coverage
    assert len(by_sql.values) == 12 * len(years) * 14
    assert any(row.numerator for row in by_sql.values if row.code == "K11")


def _jit_of_plan(years) -> dict | None:
    """The JIT section of the statement's plan under engine_sql.SETTINGS (None: interpreted)."""
    statement, sql = engine_sql._build(*engine_sql.year_span(years))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(engine_sql.SETTINGS)
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", statement.params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0].get("JIT")


def test_single_statement_compiled_by_jit_gives_the_same_figures(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_jit_available()")
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL server has no JIT provider, or its jit setting is off")
    years = list(range(2017, 2028))
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=200, seed=7, stdout=None)
        edge_cases()
        with connection.cursor() as cursor:
            # the demo's payment roll turned JIT off for the rest of the test's transaction
            # (payments.rules_sql); a run has a transaction of its own, with the server's setting
            cursor.execute("SET LOCAL jit = on")
        # a small district's estimate stays under the threshold: interpreted
        assert _jit_of_plan(years) is None
        # a district of 1,000,000 persons is compiled: here the threshold is lowered to 0
        with monkeypatch.context() as lowered:
            lowered.setattr(engine_sql, "SETTINGS", engine_sql.SETTINGS.replace("2000000", "0"))
            jit = _jit_of_plan(years)
            compiled = compute_with(lowered, True, years)
        # last: the queryset engine turns JIT off for the rest of the test's transaction
        by_querysets = compute_with(monkeypatch, False, years)
    assert jit["Options"] == {
        "Inlining": False,
        "Optimization": False,
        "Expressions": True,
        "Deforming": True,
    }
    assert compiled.values == by_querysets.values
    assert compiled.coverage == by_querysets.coverage


def test_single_statement_of_a_narrow_run_gives_the_same_figures(monkeypatch):
    # a run of one year still counts K02's window from 2021 and K01's previous and base years
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=200, seed=3, stdout=None)
        for years in ([2023], [2020], [2026, 2030]):
            assert (
                compute_with(monkeypatch, True, years).values
                == compute_with(monkeypatch, False, years).values
            )


def test_recompute_query_count_does_not_grow_with_years_streets_or_records(monkeypatch):
    with freeze_time("2026-11-28 04:00:00"):
        streets = list(Street.objects.order_by("order"))
        f.PersonFactory(street=streets[0])
        with CaptureQueriesContext(connection) as one_year:
            compute_with(monkeypatch, True, [2023])
        call_command("generate_demo_data", persons=150, seed=5, flush=True, stdout=None)
        edge_cases()
        with CaptureQueriesContext(connection) as eleven_years:
            compute_with(monkeypatch, True, range(2017, 2028))
    # targets, standing targets and reference growth, the streets, whether the transaction's snapshot
    # can be shared (a test's cannot), then one statement for every base, year and street
    assert len(one_year.captured_queries) == len(eleven_years.captured_queries) == 6


def _session_settings() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('work_mem'), current_setting('jit'), current_setting('jit_optimize_above_cost')"
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_statement_settings_end_with_its_transaction_and_do_not_stay_on_the_connection():
    # given a connection whose session settings differ from the statement's
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '5MB'; SET jit = off; SET jit_optimize_above_cost = 400000")
    try:
        # when the statement runs on its own (autocommit), then inside a caller's transaction
        engine_sql.results([2023])
        after_statement = _session_settings()
        with transaction.atomic():
            engine_sql.results([2023])
            later_in_transaction = _session_settings()
        after_transaction = _session_settings()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem; RESET jit; RESET jit_optimize_above_cost")
    # then its settings hold until the caller's transaction ends, and never beyond
    assert later_in_transaction == ("4MB", "off", "-1")
    assert after_statement == after_transaction == ("5MB", "off", "400000")


YEARS = list(range(2017, 2028))


def test_the_parts_of_the_register_add_up_to_the_whole():
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=300, seed=7, stdout=None)
        edge_cases()
        whole = engine_sql.results(YEARS, parts=1)
        # (in a test's transaction the parts run one after another on this connection)
        by_parts = {parts: engine_sql.results(YEARS, parts=parts) for parts in (2, 3, 7)}
    assert whole[("survey", 2025)] and whole[("person", 2026)] and whole[("home", 2024)]
    assert all(result == whole for result in by_parts.values())


def test_the_parts_cover_every_id_once():
    parts = engine_sql.split(10, 20, 3)
    assert [(p.low, p.high, p.homes) for p in parts] == [(None, 13, True), (13, 17, False), (17, None, False)]
    assert [(p.low, p.high) for p in engine_sql.split(5, 5, 2)] == [(None, 5), (5, None)]


def _commit_elsewhere(sql: str) -> None:
    """Run `sql` and commit it on another connection (another thread's)."""

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def _run_transaction():
    """A run's transaction: REPEATABLE READ, its snapshot taken, nothing written."""
    atomic = transaction.atomic()
    atomic.__enter__()
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT count(*) FROM registry_survey")
    return atomic


@pytest.mark.django_db(transaction=True)
def test_a_runs_parts_are_counted_at_once_on_helper_connections_that_share_its_snapshot(monkeypatch):
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=300, seed=7, stdout=None)
        edge_cases()
        whole = engine_sql.results(YEARS, parts=1)
        # given a run's transaction (REPEATABLE READ, nothing written) whose snapshot is taken, and
        # then a change committed elsewhere to the surveys of the last part's persons
        run = _run_transaction()
        try:
            _commit_elsewhere(
                "UPDATE registry_survey SET needs_care = NOT needs_care, needs_rehab = NOT needs_rehab"
                " WHERE person_id > (SELECT max(id) - 100 FROM registry_person)"
            )
            # when the register is counted in three parts
            with CaptureQueriesContext(connection) as here:
                shared = engine_sql.results(YEARS, parts=3)
            # and again, with no connection to be had for the helpers
            monkeypatch.setattr(engine_sql._Helper, "run", _refused)
            with CaptureQueriesContext(connection) as refused:
                alone = engine_sql.results(YEARS, parts=3)
            # and once more, a helper's statement failing on its connection (a timeout, say)
            monkeypatch.setattr(engine_sql._Helper, "run", _timed_out)
            with pytest.raises(OperationalError, match="statement timeout"):
                engine_sql.results(YEARS, parts=3)
        finally:
            run.__exit__(None, None, None)
        changed = engine_sql.results(YEARS, parts=1)
    # then two parts were counted on other connections, which saw what the run saw, not the change;
    # without them, this connection counted all three
    assert [_parts_counted(here), _parts_counted(refused)] == [1, 3]
    assert shared == alone == whole
    assert changed != whole


@pytest.mark.django_db(transaction=True)
def test_a_runs_helpers_are_cancelled_when_its_own_part_fails(monkeypatch):
    call_command("generate_demo_data", persons=60, seed=5, stdout=None)
    helpers = []
    execute = engine_sql._execute
    sleep = "SELECT pg_sleep(60) /* a helper's part */"

    def slow_helper_failing_leader(cursor, statement, sql):
        if threading.current_thread() is threading.main_thread():
            for _ in range(500):  # until the helper's statement runs on the server
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = %s", [sleep]
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.02)
            cursor.execute("SELECT 1 / 0")  # the run's own part fails
        cursor.execute(sleep)  # a part that would keep the run waiting a minute
        return execute(cursor, statement, sql)

    class Recorded(engine_sql._Helper):
        def __init__(self, *args):
            super().__init__(*args)
            helpers.append(self)

    monkeypatch.setattr(engine_sql, "_execute", slow_helper_failing_leader)
    monkeypatch.setattr(engine_sql, "_Helper", Recorded)
    # given a run's transaction
    run = _run_transaction()
    try:
        # when its own part fails while a helper counts another
        with pytest.raises(DataError, match="division by zero"):
            engine_sql.results(YEARS, parts=2)
    finally:
        run.__exit__(None, None, None)
    # then the run's error is raised, and the helper's statement was cancelled, not waited for
    [helper] = helpers
    assert not helper.is_alive()
    assert isinstance(helper.error, OperationalError)
    assert "canceling statement due to user request" in str(helper.error)
    assert helper.rows is None


@pytest.mark.django_db(transaction=True)
def test_parts_asked_for_inside_a_savepoint_of_a_runs_transaction_are_counted_on_this_connection():
    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=60, seed=5, stdout=None)
        whole = engine_sql.results(YEARS, parts=1)
        # given a run's transaction (REPEATABLE READ, nothing written) and an atomic block inside it
        run = _run_transaction()
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as here:
                # when the register is counted in two parts (PostgreSQL exports no snapshot from a
                # subtransaction: "cannot export a snapshot from a subtransaction")
                in_savepoint = engine_sql.results(YEARS, parts=2)
        finally:
            run.__exit__(None, None, None)
    # then both parts were counted here, with the same figures
    assert _parts_counted(here) == 2
    assert in_savepoint == whole


def _refused(helper) -> None:
    helper.error = OperationalError("FATAL:  sorry, too many clients already")


def _timed_out(helper) -> None:
    helper.connected = True
    helper.error = OperationalError("canceling statement due to statement timeout")


def _parts_counted(queries) -> int:
    return sum("SELECT 'survey'" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_run_counts_its_second_part_on_a_helper_and_stores_the_same_figures(settings):
    from indicators.models import IndicatorValue
    from indicators.services import indicator_run_execute

    def stored(run):
        values = IndicatorValue.objects.filter(run=run).order_by("code", "year", "street_id")
        return list(values.values_list("code", "year", "street_id", "numerator", "denominator"))

    with freeze_time("2026-11-28 04:00:00"):
        call_command("generate_demo_data", persons=200, seed=3, stdout=None)
        settings.INDICATORS_SQL_PARTS = 1
        one_statement = indicator_run_execute(years=[2024, 2025])
        settings.INDICATORS_SQL_PARTS = 2
        with CaptureQueriesContext(connection) as here:
            two_parts = indicator_run_execute(years=[2024, 2025])
    assert _parts_counted(here) == 1
    assert stored(two_parts) == stored(one_statement) != []


def test_cancelling_a_helper_never_raises_over_the_runs_own_error():
    # given a helper whose cancel request cannot be sent (the server the run just lost, say)
    class Unreachable:
        def cancel(self):
            raise OperationalError("could not send cancel request")

    helper = engine_sql._Helper("snapshot", None, "SELECT 1")
    helper._database = Unreachable()
    # when the failed run cancels it: nothing is raised (the run's error is the one to see), and the
    # part is still marked not to start
    helper.cancel()
    assert helper._cancelled.is_set()
