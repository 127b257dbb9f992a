"""Figures fresh within a minute of a change (indicators/freshness.py): which years a change marks
stale, how a burst of changes becomes one debounced run, and the dashboard before and after it."""

import datetime as dt
import io
import time

import psycopg2
import pytest
from celery.schedules import crontab
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Street
from gulou_portal.celery import app as celery_app
from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook
from indicators import engine, freshness, tasks
from indicators.freshness import EVERY_YEAR, RULES, SCHEDULED_KEY
from indicators.locks import ADVISORY_LOCK_KEY
from indicators.models import (
    Indicator,
    IndicatorRun,
    IndicatorValue,
    RunStatus,
    RunTrigger,
    StaleMark,
    Target,
)
from indicators.selectors import pending_years
from indicators.services import reference_growth_set, target_set
from indicators.tests import factories as f


def marks() -> list[tuple[int, int | None, str]]:
    return list(StaleMark.objects.order_by("pk").values_list("from_year", "to_year", "source"))


@pytest.fixture
def clean_marks(db):
    """Start from no mark (the plan data and reference data of the fixtures leave some)."""
    StaleMark.objects.all().delete()


# ---------------------------------------------------------------------------------------------
# Which years a change makes stale


def test_every_table_the_engine_reads_has_a_rule():
    read = {
        value._meta.label
        for value in vars(engine).values()
        if isinstance(value, type) and issubclass(value, models.Model)
    }
    assert read <= set(RULES)
    for label, rule in RULES.items():
        model = apps.get_model(label)
        if rule.field is not None:
            model._meta.get_field(rule.field)  # raises if a rule names a field that does not exist


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: f.PersonFactory(issued_on=dt.date(2019, 4, 1)), (2019, None, "registry.Person")),
        (lambda: f.SurveyFactory(year=2023), (2023, None, "registry.Survey")),
        (lambda: f.GrantFactory(start_month=dt.date(2022, 3, 1)), (2022, None, "subsidies.Grant")),
        (lambda: f.TrainingFactory(start_date=dt.date(2021, 9, 1)), (2021, None, "employment.Training")),
        (lambda: f.EmploymentFactory(start_date=dt.date(2024, 2, 1)), (2024, None, "employment.Employment")),
        (lambda: f.GraduateFactory(graduation_year=2025), (2025, None, "employment.Graduate")),
        (lambda: f.RehabServiceFactory(service_date=dt.date(2023, 5, 1)), (2023, None, "rehab.RehabService")),
        (lambda: f.CareHomeFactory(opened_on=dt.date(2022, 1, 1)), (2022, None, "care_homes.CareHome")),
        (lambda: f.PlacementFactory(start_date=dt.date(2020, 7, 1)), (2020, None, "care_homes.Placement")),
        (lambda: f.AuxProjectFactory(start_date=dt.date(2024, 6, 1)), (2024, None, "care_homes.AuxProject")),
    ],
    ids=lambda v: v[2] if isinstance(v, tuple) else "",
)
def test_a_saved_record_marks_its_first_year_up_to_the_present(clean_marks, make, expected):
    # when a record is saved (after the records it refers to, each marking its own years)
    make()
    # then its mark: from its year, open-ended (K01 and K02 carry a year into every later one)
    assert marks()[-1] == expected


def test_an_edit_marks_from_the_earlier_of_the_old_and_new_year(clean_marks):
    grant = f.GrantFactory(start_month=dt.date(2021, 5, 1))
    StaleMark.objects.all().delete()
    # a start moved later: the years it no longer counts in change too
    grant.start_month = dt.date(2024, 1, 1)
    grant.save()
    # a start moved earlier
    grant.start_month = dt.date(2022, 1, 1)
    grant.save()
    assert marks() == [(2021, None, "subsidies.Grant"), (2022, None, "subsidies.Grant")]


def test_an_edit_that_leaves_the_year_field_alone_reads_no_previous_value(clean_marks):
    person = f.PersonFactory(issued_on=dt.date(2018, 1, 1))
    StaleMark.objects.all().delete()
    person.address = "新地址"
    with CaptureQueriesContext(connection) as queries:
        person.save(update_fields=["address"])
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "registry_person"')]
    assert marks() == [(2018, None, "registry.Person")]


def test_a_deleted_record_marks_its_years(clean_marks):
    service = f.RehabServiceFactory(service_date=dt.date(2022, 8, 1))
    StaleMark.objects.all().delete()
    service.delete()
    assert marks() == [(2022, None, "rehab.RehabService")]


def test_targets_and_reference_growth_mark_their_own_year_only(clean_marks, staff_user):
    target_set(acting_user=staff_user, indicator=Indicator.objects.get(code="K03"), year=2024, value=95)
    reference_growth_set(acting_user=staff_user, year=2023, series=None, rate=5)
    assert marks() == [(2024, 2024, "indicators.Target"), (2023, 2023, "indicators.ReferenceGrowth")]
    Target.objects.filter(year=2024, indicator__code="K03").delete()
    assert marks()[-1] == (2024, 2024, "indicators.Target")


def test_a_street_or_a_standing_target_marks_every_year(clean_marks):
    Street.objects.get(name="宁海路街道").save()
    indicator = Indicator.objects.get(code="K11")
    indicator.standing_target = 75
    indicator.save()
    assert marks() == [(EVERY_YEAR, None, "core.Street"), (EVERY_YEAR, None, "indicators.Indicator")]


def test_a_rolled_back_change_leaves_no_mark(clean_marks):
    with pytest.raises(RuntimeError), transaction.atomic():
        f.PersonFactory()
        raise RuntimeError
    assert marks() == []


def test_a_written_import_marks_every_year_once_and_a_preview_nothing(clean_marks, staff_user):
    workbook = persons_workbook(person_row(), person_row(), person_row())
    run_import("persons", workbook, user=staff_user, dry_run=True)
    assert marks() == []

    report = run_import("persons", workbook, user=staff_user)

    assert report.created == 3
    assert marks() == [(EVERY_YEAR, None, "import:registry.Person")]  # bulk writes: one mark, not three
    # an import that changes nothing marks nothing
    run_import("persons", workbook, user=staff_user)
    assert len(marks()) == 1


def test_pending_years_are_those_a_mark_covers(clean_marks):
    StaleMark.objects.create(from_year=2023, to_year=None, source="t")
    StaleMark.objects.create(from_year=2021, to_year=2021, source="t")
    assert pending_years(range(2020, 2027)) == {2021, 2023, 2024, 2025, 2026}


# ---------------------------------------------------------------------------------------------
# Runs settle the marks they covered


def test_a_run_deletes_the_marks_it_covered_and_keeps_those_written_meanwhile(clean_marks, monkeypatch):
    StaleMark.objects.create(from_year=2023, source="before")
    StaleMark.objects.create(from_year=2021, to_year=2021, source="before, not covered")
    real = freshness.indicator_run_execute

    def run_while_a_change_arrives(**kwargs):
        StaleMark.objects.create(from_year=2023, source="meanwhile")
        return real(**kwargs)

    monkeypatch.setattr(freshness, "indicator_run_execute", run_while_a_change_arrives)
    # a run narrowed to the stale years from 2023 on does not cover 2021
    years = [y for y in freshness.tracked_years() if y >= 2023]
    freshness.run_and_settle(years=years, trigger=RunTrigger.COMMAND)

    assert [m[2] for m in marks()] == ["before, not covered", "meanwhile"]


def settle_after_run_of(years, monkeypatch, during=None):
    """run_and_settle over `years`, the engine's run replaced by a succeeded run of those years (the
    settling reads nothing else); `during` runs between the reading of the marks and the settling."""

    def run(**kwargs):
        if during:
            during()
        return IndicatorRun(years=sorted(kwargs["years"]), status=RunStatus.SUCCEEDED)

    monkeypatch.setattr(freshness, "indicator_run_execute", run)
    freshness.run_and_settle(years=years, trigger=RunTrigger.COMMAND)


@pytest.mark.usefixtures("frozen_noon")
def test_a_run_of_a_marks_first_years_narrows_it_to_the_years_still_stale(clean_marks, monkeypatch):
    # tracked: 2020–2026 (the plan's years and the current one)
    StaleMark.objects.create(from_year=2023, source="from 2023")
    StaleMark.objects.create(from_year=EVERY_YEAR, source="every year")
    StaleMark.objects.create(from_year=2021, to_year=2023, source="bounded")
    settle_after_run_of(range(2020, 2026), monkeypatch)
    assert marks() == [(2026, None, "from 2023"), (2026, None, "every year")]
    assert pending_years(range(2020, 2027)) == {2026}


@pytest.mark.usefixtures("frozen_noon")
def test_a_run_of_a_bounded_marks_last_years_narrows_its_end(clean_marks, monkeypatch):
    StaleMark.objects.create(from_year=2021, to_year=2023, source="bounded")
    settle_after_run_of([2023, 2024], monkeypatch)
    assert marks() == [(2021, 2022, "bounded")]


@pytest.mark.usefixtures("frozen_noon")
def test_a_run_of_every_year_a_mark_touches_deletes_it(clean_marks, monkeypatch):
    StaleMark.objects.create(from_year=2023, source="from 2023")
    settle_after_run_of(range(2020, 2027), monkeypatch)
    assert marks() == []


@pytest.mark.usefixtures("frozen_noon")
def test_a_run_of_years_inside_a_mark_leaves_it_as_it_was(clean_marks, monkeypatch):
    # 2023 and 2025–2026 stay stale: no range of one mark, so the mark keeps 2024 pending too
    StaleMark.objects.create(from_year=2023, source="from 2023")
    StaleMark.objects.create(from_year=2021, to_year=2023, source="bounded")
    settle_after_run_of([2024, 2022], monkeypatch)
    assert marks() == [(2023, None, "from 2023"), (2021, 2023, "bounded")]


@pytest.mark.usefixtures("frozen_noon")
def test_a_mark_changed_during_the_run_is_not_narrowed_to_fewer_years(clean_marks, monkeypatch):
    mark = StaleMark.objects.create(from_year=2021, source="from 2021")

    def another_run_narrows_it():
        StaleMark.objects.filter(pk=mark.pk).update(from_year=2025)

    settle_after_run_of(range(2020, 2024), monkeypatch, during=another_run_narrows_it)
    assert marks() == [(2025, None, "from 2021")]  # not moved back to 2024


@pytest.mark.usefixtures("frozen_noon")
def test_compute_indicators_of_the_plan_years_leaves_only_the_current_year_pending(
    clean_marks, role_users, client_for
):
    # given a survey of 2023 saved (its person marks from the certificate's year on)
    f.SurveyFactory(year=2023)
    assert {2023, 2024, 2025, 2026} <= pending_years(freshness.tracked_years())
    # when the command computes its default years, the plan's 2020–2025
    call_command("compute_indicators", stderr=io.StringIO())
    # then 2023–2025 are fresh and only the current year, tracked but not computed, is pending
    assert pending_years(freshness.tracked_years()) == {2026}
    response = client_for(role_users["official"]).get(reverse("indicators:dashboard"), {"year": 2023})
    assert [(row["year"], row["pending"]) for row in response.context["freshness"]] == [
        (2020, False),
        (2021, False),
        (2022, False),
        (2023, False),
        (2024, False),
        (2025, False),
    ]
    assert 'data-testid="pending"' not in response.content.decode()


def test_the_nightly_run_settles_every_mark(clean_marks):
    f.PersonFactory(issued_on=dt.date(2021, 1, 1))
    f.SurveyFactory(year=2022)
    assert tasks.recompute_indicators()["status"] == "succeeded"
    assert marks() == []


def test_a_failed_run_keeps_its_marks(clean_marks, monkeypatch):
    f.PersonFactory()
    monkeypatch.setattr(engine, "compute", lambda *a, **k: 1 / 0)
    assert freshness.refresh_stale()["status"] == "failed"
    assert marks() == [(2015, None, "registry.Person")]


def test_with_nothing_stale_the_refresh_runs_nothing(clean_marks):
    assert freshness.refresh_stale() == {"status": "fresh"}
    assert not IndicatorRun.objects.exists()


def test_the_refresh_recomputes_only_the_stale_years(clean_marks):
    f.SurveyFactory(year=2024, person=f.PersonFactory(issued_on=dt.date(2023, 1, 1)))
    StaleMark.objects.filter(source="registry.Person").delete()
    result = freshness.refresh_stale()
    run = IndicatorRun.objects.get()
    assert result == {"status": "succeeded", "run": run.pk, "years": run.years}
    assert run.trigger == RunTrigger.CHANGE and run.get_trigger_display() == "数据变更后自动"
    assert min(run.years) == 2024 and timezone.localdate().year in run.years


# ---------------------------------------------------------------------------------------------
# Debouncing: a burst of changes, one queued run


@pytest.fixture
def queue(monkeypatch, settings):
    """Celery with a broker (not eager), refreshes queued into a list instead of Redis."""
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    settings.INDICATORS_REFRESH_DELAY_SECONDS = 30
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    cache.delete(SCHEDULED_KEY)
    queued: list[int] = []

    class FakeTask:
        @staticmethod
        def apply_async(countdown):
            queued.append(countdown)

    monkeypatch.setattr(tasks, "refresh_stale_indicators", FakeTask)
    yield queued
    celery_app.conf.task_always_eager = eager
    cache.delete(SCHEDULED_KEY)


@pytest.fixture
def schedules(monkeypatch) -> list[int]:
    """Counts the calls of schedule_refresh (one per committed transaction that marked years)."""
    calls = []
    real = freshness.schedule_refresh

    def counted():
        calls.append(1)
        real()

    monkeypatch.setattr(freshness, "schedule_refresh", counted)
    return calls


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_saves_queues_one_debounced_run(queue, schedules):
    StaleMark.objects.all().delete()
    # when a clerk's twenty saves commit, each statement in its own transaction (autocommit)
    for i in range(20):
        f.GrantFactory(start_month=dt.date(2023, 1 + i % 12, 1))
    # then each commit asked for a refresh, and one refresh is queued, 30 s ahead
    assert len(schedules) == 20 + 20  # each grant and the person it was made for
    assert queue == [30]
    assert StaleMark.objects.count() == 20 + 20

    # when the queued task runs: one run for all of them, and no mark is left
    result = freshness.refresh_stale()
    assert result["status"] == "succeeded"
    assert IndicatorRun.objects.filter(trigger=RunTrigger.CHANGE).count() == 1
    assert marks() == []


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_saves_schedules_once(schedules):
    StaleMark.objects.all().delete()
    schedules.clear()
    with transaction.atomic():
        for _ in range(5):
            f.SurveyFactory(year=2023)
    assert len(schedules) == 1
    # a savepoint rolled back takes its callback with it: a later change registers one again
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            f.RehabServiceFactory()
            raise RuntimeError
        f.PersonFactory()
    assert len(schedules) == 2
    assert len(marks()) == 10 + 1


@pytest.mark.django_db(transaction=True)
def test_changes_during_a_run_queue_exactly_one_more(queue, monkeypatch):
    StaleMark.objects.all().delete()
    f.PersonFactory()
    assert queue == [30]
    real = freshness.indicator_run_execute

    def run_while_clerks_save(**kwargs):
        for _ in range(3):
            f.SurveyFactory(year=2024)  # each committed on its own
        return real(**kwargs)

    monkeypatch.setattr(freshness, "indicator_run_execute", run_while_clerks_save)
    freshness.refresh_stale()
    # the three changes made during the run queued one more run, and their marks wait for it
    assert queue == [30, 30]
    assert {source for _, _, source in marks()} == {"registry.Person", "registry.Survey"}
    assert len(marks()) == 6

    monkeypatch.setattr(freshness, "indicator_run_execute", real)
    freshness.refresh_stale()
    assert marks() == []
    assert queue == [30, 30]
    assert IndicatorRun.objects.filter(trigger=RunTrigger.CHANGE).count() == 2


def test_a_refresh_that_finds_a_run_in_progress_queues_itself_again(clean_marks, queue):
    f.PersonFactory()
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        assert freshness.refresh_stale() == {"status": "busy"}
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        other.close()
    assert queue == [30]
    assert len(marks()) == 1
    assert not IndicatorRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_switch_off_changes_are_marked_but_nothing_is_queued(queue, settings, schedules):
    StaleMark.objects.all().delete()
    settings.INDICATORS_REFRESH_ON_CHANGE = False
    f.PersonFactory()
    assert len(schedules) == 1  # committed and asked for a refresh, which the switch declines
    assert queue == []
    assert len(marks()) == 1


# ---------------------------------------------------------------------------------------------
# The dashboard: when each year was computed, whether a recompute is pending, the new figure


def k03_on_dashboard(client) -> tuple[str, str]:
    """(K03's headline for 2023, the page's HTML)."""
    response = client.get(reverse("indicators:dashboard"), {"year": 2023})
    card = next(c for c in response.context["cards"] if c["code"] == "K03")
    return card["headline_text"], response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_eager_mode_recomputes_after_the_commit_and_the_dashboard_shows_the_new_figure(
    settings, role_users, client_for
):
    # given a computed snapshot: one person eligible for 低保, no grant yet
    survey = f.SurveyFactory(year=2023, dibao_eligible=True)
    freshness.run_and_settle(trigger=RunTrigger.COMMAND)  # every stale year: nothing pending
    client = client_for(role_users["official"])
    before, html = k03_on_dashboard(client)
    assert before == "0.0%"
    assert "已是最新" in html and "等待重新计算" not in html
    # when a clerk records the grant, Celery eager (the quick start), changes recomputed on commit
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    f.GrantFactory(person=survey.person, kind="dibao", start_month=dt.date(2023, 2, 1))  # committed
    # then the dashboard shows the new figure, computed after the change, nothing pending
    after, html = k03_on_dashboard(client)
    assert after == "100.0%"
    run = IndicatorRun.objects.get(trigger=RunTrigger.CHANGE)
    assert 2023 in run.years
    assert (
        f"2023年数据计算于 {run.finished_at.astimezone(dt.timezone(dt.timedelta(hours=8))):%Y-%m-%d %H:%M}"
        in html
    )
    assert "等待重新计算" not in html


def test_dashboard_shows_each_years_computation_time_and_pending_state(
    clean_marks, settings, role_users, client_for
):
    settings.INDICATORS_REFRESH_ON_CHANGE = True  # the default outside tests
    run = freshness.run_and_settle(years=[2022, 2023], trigger=RunTrigger.COMMAND)
    StaleMark.objects.create(from_year=2023, source="registry.Survey")

    response = client_for(role_users["official"]).get(reverse("indicators:dashboard"), {"year": 2023})

    html = response.content.decode()
    assert 'data-testid="pending"' in html and "数据已有变更，等待重新计算（约1分钟内更新）" in html
    assert [(row["year"], row["pending"]) for row in response.context["freshness"]] == [
        (2022, False),
        (2023, True),
    ]
    shown = f"{run.finished_at.astimezone(dt.timezone(dt.timedelta(hours=8))):%Y-%m-%d %H:%M}"
    assert f'<tr data-year="2022"><td>2022年</td><td>{shown}</td><td>已是最新</td></tr>' in html
    assert "待重新计算</span>" in html and "（1个年度待重新计算）" in html


# ---------------------------------------------------------------------------------------------
# Through a real Celery worker and Redis


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_saved_records_change_the_dashboard_after_one_debounced_run_of_a_real_worker(
    celery_redis_worker, settings, role_users, client_for
):
    # given a computed snapshot (K03 0 of 1) and nothing stale
    survey = f.SurveyFactory(year=2023, dibao_eligible=True)
    others = [f.SurveyFactory(year=2023, dibao_eligible=True) for _ in range(3)]
    freshness.run_and_settle(trigger=RunTrigger.COMMAND)  # every stale year
    assert marks() == []
    client = client_for(role_users["official"])
    assert k03_on_dashboard(client)[0] == "0.0%"
    cache.delete(SCHEDULED_KEY)
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    settings.INDICATORS_REFRESH_DELAY_SECONDS = 3

    # when clerks save four grants in a burst (each committed on its own)
    for person in [survey.person, *(s.person for s in others)]:
        f.GrantFactory(person=person, kind="dibao", start_month=dt.date(2023, 2, 1))
    assert StaleMark.objects.exists()

    # then the worker runs once after the delay, and the dashboard shows the new figure
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and StaleMark.objects.exists():
        time.sleep(0.2)
    assert not StaleMark.objects.exists(), "the debounced run did not settle the marks within 60 s"
    runs = IndicatorRun.objects.filter(trigger=RunTrigger.CHANGE)
    assert [r.status for r in runs] == [RunStatus.SUCCEEDED]
    assert IndicatorValue.objects.get(run=runs[0], code="K03", year=2023, street=None).value == 100.0
    headline, html = k03_on_dashboard(client)
    assert headline == "100.0%"
    assert "等待重新计算" not in html


# ---------------------------------------------------------------------------------------------
# What the pages promise follows the settings


def dashboard_notice(client, year):
    html = client.get(reverse("indicators:dashboard"), {"year": year}).content.decode()
    return html.split('data-testid="last-run">', 1)[1].split("</div>", 1)[0]


@pytest.fixture
def computed_2022_pending_2023(clean_marks, role_users, client_for):
    freshness.run_and_settle(years=[2022, 2023], trigger=RunTrigger.COMMAND)
    StaleMark.objects.create(from_year=2023, source="registry.Survey")
    return client_for(role_users["official"])


@pytest.mark.parametrize(
    ("delay", "pending", "fresh"),
    [
        (
            30,
            "数据已有变更，等待重新计算（约1分钟内更新）",
            "（数据变更后约1分钟内自动更新，每日凌晨2:00全部重算）",
        ),
        (60, "等待重新计算（约1分钟内更新）", "（数据变更后约1分钟内自动更新，每日凌晨2:00全部重算）"),
        (150, "等待重新计算（约3分钟内更新）", "（数据变更后约3分钟内自动更新，每日凌晨2:00全部重算）"),
    ],
)
def test_with_the_recompute_after_changes_on_the_dashboard_promises_the_delay(
    computed_2022_pending_2023, settings, delay, pending, fresh
):
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    settings.INDICATORS_REFRESH_DELAY_SECONDS = delay
    assert pending in dashboard_notice(computed_2022_pending_2023, 2023)
    assert fresh in dashboard_notice(computed_2022_pending_2023, 2022)


def test_with_the_recompute_after_changes_off_the_dashboard_promises_the_nightly_run(
    computed_2022_pending_2023, settings
):
    settings.INDICATORS_REFRESH_ON_CHANGE = False
    pending = dashboard_notice(computed_2022_pending_2023, 2023)
    fresh = dashboard_notice(computed_2022_pending_2023, 2022)
    assert "数据已有变更，等待重新计算（每日凌晨2:00全部重算后更新）" in pending
    assert "（数据变更后于每日凌晨2:00全部重算时更新）" in fresh
    assert "分钟" not in pending + fresh


def test_the_nightly_time_is_read_from_the_beat_schedule(computed_2022_pending_2023, settings):
    settings.INDICATORS_REFRESH_ON_CHANGE = False
    schedule = settings.CELERY_BEAT_SCHEDULE
    nightly = {"task": "indicators.tasks.recompute_indicators", "schedule": crontab(hour=3, minute=15)}
    settings.CELERY_BEAT_SCHEDULE = {**schedule, "recompute-indicators-nightly": nightly}
    assert "（每日凌晨3:15全部重算后更新）" in dashboard_notice(computed_2022_pending_2023, 2023)
    nightly["schedule"] = crontab(hour=22, minute=0)
    assert freshness.nightly_time() == "每日22:00"
    # not every day (a day of the month, or of the week): no daily time to promise
    for not_daily in (crontab(hour=2, minute=0, day_of_month=1), crontab(hour=2, minute=0, day_of_week=1)):
        nightly["schedule"] = not_daily
        assert freshness.nightly_time() is None
    # no nightly run scheduled: no time promised
    settings.CELERY_BEAT_SCHEDULE = {k: v for k, v in schedule.items() if k != "recompute-indicators-nightly"}
    assert freshness.nightly_time() is None
    assert "（下次全部重算后更新）" in dashboard_notice(computed_2022_pending_2023, 2023)
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    assert "（数据变更后约1分钟内自动更新）" in dashboard_notice(computed_2022_pending_2023, 2022)


@pytest.mark.parametrize("on", [True, False])
def test_the_run_log_and_targets_pages_follow_the_settings(settings, role_users, client_for, on):
    settings.INDICATORS_REFRESH_ON_CHANGE = on
    client = client_for(role_users["staff"])
    run_log = client.get(reverse("indicators:run_list")).content.decode()
    targets = client.get(reverse("indicators:targets")).content.decode()
    if on:
        assert "后约1分钟内自动重新计算受影响的年度；每日凌晨2:00全部重新计算" in run_log
        assert "修改约1分钟后自动重新计算并显示在看板上" in targets
    else:
        assert "受影响的年度在看板上标为待重新计算，不自动重新计算；每日凌晨2:00全部重新计算" in run_log
        assert "修改在每日凌晨2:00全部重新计算后显示在看板上" in targets
        assert "约1分钟" not in run_log + targets
