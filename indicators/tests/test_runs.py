"""Runs: the command's JSON, constant query count, atomic snapshots, the lock, Celery."""

import datetime as dt
import io
import json
import logging
import sys
import time

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Street
from indicators import engine
from indicators.locks import ADVISORY_LOCK_KEY
from indicators.models import (
    IndicatorRun,
    IndicatorValue,
    RunStatus,
    RunTrigger,
    SurveyCoverage,
)
from indicators.selectors import last_completed_run, runs_by_year, snapshot_values
from indicators.services import ComputationBusy, indicator_run_execute
from indicators.tasks import recompute_indicators
from indicators.tests import factories as f

EXTRA_KEYS = {
    "K01": {"cagr_since_2020"},
    "K02": {"trained_in_year"},
    "K04": {"living_rate", "nursing_rate"},
    "K05": {"served"},
    "K12": {"projects"},
}


def populate(streets, per_street: int, year: int = 2023) -> None:
    """Every kind of record, `per_street` persons in each street."""
    for street in streets:
        home = f.CareHomeFactory(street=street)
        f.AuxProjectFactory(home=home, start_date=dt.date(year, 2, 1))
        for i in range(per_street):
            person = f.PersonFactory(street=street, grade=str(i % 4 + 1), birth=dt.date(2010 + i % 5, 3, 1))
            f.SurveyFactory(
                person=person,
                year=year,
                household_income=50000 + i,
                household_size=3,
                dibao_eligible=True,
                low_income_type="dibao",
                needs_rehab=True,
                needs_device=True,
                needs_care=True,
                needs_barrier_free=True,
                education="regular",
                medical_insurance="insured",
            )
            f.SurveyFactory(person=person, year=year - 1, household_income=48000, household_size=3)
            f.GrantFactory(person=person, kind="dibao", start_month=dt.date(year, 1, 1))
            f.GrantFactory(person=person, kind="living", start_month=dt.date(year, 1, 1))
            f.RehabServiceFactory(person=person, kind="basic", service_date=dt.date(year, 3, 1))
            f.PlacementFactory(person=person, home=home, start_date=dt.date(year, 4, 1))
            f.TrainingFactory(person=person, start_date=dt.date(year, 5, 1))
            graduate = f.GraduateFactory(person=person, graduation_year=year)
            f.EmploymentFactory(person=graduate.person, start_date=dt.date(year, 7, 1))


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_compute_indicators_json_prints_one_document_with_every_indicator_year_and_street(capsys):
    populate(Street.objects.filter(name__in=["宁海路街道", "华侨路街道"]), per_street=2)
    stdout = io.StringIO()

    call_command("compute_indicators", "--json", stdout=stdout)

    document = json.loads(stdout.getvalue())
    assert capsys.readouterr().out == ""  # nothing else reaches the real stdout
    assert set(document) == {"computed_at", "values"}
    assert document["computed_at"].endswith("+08:00")
    dt.datetime.fromisoformat(document["computed_at"])
    values = document["values"]
    assert len(values) == 12 * 6 * 14
    keys = {(v["code"], v["year"], v["street"]) for v in values}
    assert len(keys) == len(values)
    assert {v["year"] for v in values} == set(range(2020, 2026))
    assert {v["street"] for v in values} == {None, *Street.objects.values_list("name", flat=True)}
    for v in values:
        assert set(v) == {
            "code",
            "year",
            "street",
            "numerator",
            "denominator",
            "value",
            "target",
            "met",
            "extra",
        }
        assert set(v["extra"]) == EXTRA_KEYS.get(v["code"], set()), v
        assert v["met"] in (True, False, None)
        assert v["value"] is None or isinstance(v["value"], float)
    k03 = next(v for v in values if (v["code"], v["year"], v["street"]) == ("K03", 2023, None))
    assert (k03["numerator"], k03["denominator"], k03["value"], k03["target"], k03["met"]) == (
        4,
        4,
        100.0,
        100,
        True,
    )
    assert isinstance(k03["numerator"], int)
    k02 = next(v for v in values if (v["code"], v["year"], v["street"]) == ("K02", 2023, "宁海路街道"))
    assert (k02["denominator"], k02["target"], k02["met"]) == (None, None, None)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_compute_indicators_json_keeps_log_lines_off_stdout(capsys):
    # given a logging configuration that writes to stdout (as a container setup might)
    handler = logging.StreamHandler(sys.stdout)
    logging.getLogger().addHandler(handler)
    logging.getLogger("indicators").setLevel(logging.INFO)
    try:
        call_command("compute_indicators", "--year", "2023", "--json")
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger("indicators").setLevel(logging.NOTSET)
    captured = capsys.readouterr()
    # then stdout holds exactly one JSON document and the log line went to stderr
    assert len(json.loads(captured.out)["values"]) == 12 * 14
    assert "indicator run" in captured.err


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_compute_indicators_year_option_narrows_the_years():
    stdout = io.StringIO()
    call_command("compute_indicators", "--year", "2023", "--year", "2026", "--json", stdout=stdout)
    values = json.loads(stdout.getvalue())["values"]
    assert {v["year"] for v in values} == {2023, 2026}
    assert len(values) == 12 * 2 * 14


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_run_query_count_does_not_grow_with_persons_records_or_streets():
    streets = list(Street.objects.order_by("order"))
    populate(streets[:1], per_street=2)
    with CaptureQueriesContext(connection) as small:
        indicator_run_execute(years=[2022, 2023])
    # when persons and records are multiplied and spread over more streets
    populate(streets[1:4], per_street=4)
    with CaptureQueriesContext(connection) as large:
        indicator_run_execute(years=[2022, 2023])
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) <= 40


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_run_stores_values_and_coverage_and_flips_to_succeeded():
    populate(Street.objects.filter(name="宁海路街道"), per_street=3)
    f.PersonFactory()  # in P(Y), not surveyed
    run = indicator_run_execute(years=[2023], trigger=RunTrigger.COMMAND)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.finished_at and run.duration is not None
    assert run.values.count() == 12 * 14
    district = SurveyCoverage.objects.get(run=run, year=2023, street=None)
    assert (district.surveyed, district.population) == (3, 4)
    assert district.rate == 75.0
    assert last_completed_run() == run


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_failed_run_is_marked_failed_with_error_and_readers_keep_previous_snapshot(monkeypatch):
    good = indicator_run_execute(years=[2023])

    def broken(*args, **kwargs):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(engine, "compute", broken)
    with pytest.raises(RuntimeError):
        indicator_run_execute(years=[2023])

    failed = IndicatorRun.objects.exclude(pk=good.pk).get()
    assert failed.status == RunStatus.FAILED
    assert "数据库不可用" in failed.error
    assert not failed.values.exists()
    assert last_completed_run() == good


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_narrowed_run_replaces_only_its_years_for_readers():
    full = indicator_run_execute(years=[2022, 2023])
    narrow = indicator_run_execute(years=[2023])
    assert runs_by_year() == {2022: full.pk, 2023: narrow.pk}
    assert snapshot_values().filter(code="K03", street=None).count() == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_task_returns_failure_instead_of_raising_and_run_shows_error(monkeypatch):
    monkeypatch.setattr(engine, "compute", lambda *a, **k: 1 / 0)
    result = recompute_indicators.delay(years=[2023])
    assert result.get()["status"] == "failed"
    assert IndicatorRun.objects.get().error.startswith("ZeroDivisionError")


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_noon")
def test_nightly_task_computes_plan_years_up_to_current_year():
    result = recompute_indicators.delay()
    run = IndicatorRun.objects.get(pk=result.get()["run"])
    assert run.trigger == RunTrigger.NIGHTLY and run.triggered_by is None
    assert run.years == [2020, 2021, 2022, 2023, 2024, 2025, 2026]


@pytest.mark.django_db
def test_lock_held_by_another_connection_prevents_a_concurrent_run():
    # given another process holding the computation lock
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        # when a run starts, then it is refused and nothing is written
        with pytest.raises(ComputationBusy):
            indicator_run_execute(years=[2023])
        assert recompute_indicators.delay(years=[2023]).get() == {"status": "skipped"}
        with pytest.raises(CommandError, match="正在进行"):
            call_command("compute_indicators", "--year", "2023")
        assert not IndicatorRun.objects.exists()
    finally:
        # unlock explicitly: a closed connection's locks go only once its backend has exited
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        other.close()
    # once released, a run goes ahead
    assert indicator_run_execute(years=[2023]).status == RunStatus.SUCCEEDED


@pytest.mark.django_db
def test_run_left_running_by_a_killed_worker_is_marked_interrupted():
    stale = IndicatorRun.objects.create(
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), years=[2023], trigger=RunTrigger.NIGHTLY
    )
    indicator_run_execute(years=[2023])
    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED and "中断" in stale.error


def test_beat_schedule_sends_recompute_every_night_at_2_in_shanghai():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "indicators.tasks.recompute_indicators"
    )
    schedule = entry["schedule"]
    assert schedule.hour == {2} and schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    from gulou_portal.celery import app

    assert "indicators.tasks.recompute_indicators" in app.tasks


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_runs_the_recompute_task(celery_redis_worker, redis_url):
    # given committed data the worker can see
    f.GrantFactory(person=f.SurveyFactory(year=2023, dibao_eligible=True).person, kind="dibao")
    # when the task is queued through Redis (on a connection of its own: an eager test before may
    # have left the app's producer pool bound to the empty broker URL)
    from gulou_portal.celery import app

    with app.connection_for_write(redis_url) as broker:
        recompute_indicators.apply_async(kwargs={"years": [2023]}, connection=broker)
    # then the worker stores a succeeded run (polled in the database: the fixture's app may have
    # no result backend once its backend was first created without one)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = IndicatorRun.objects.filter(status=RunStatus.SUCCEEDED).first()
        if run is not None:
            break
        time.sleep(0.2)
    assert run is not None, "the worker did not finish the run within 60 s"
    assert run.trigger == RunTrigger.NIGHTLY
    value = IndicatorValue.objects.get(run=run, code="K03", year=2023, street=None)
    assert (value.numerator, value.denominator, value.met) == (1, 1, True)
