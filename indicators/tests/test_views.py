"""Pages and API: what each role sees, scoping of gap lists, snapshots only, bounded queries."""

import datetime as dt
import io
import json

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Street
from indicators.locks import ADVISORY_LOCK_KEY
from indicators.models import IndicatorRun, ReferenceGrowth, RunStatus, Target
from indicators.services import indicator_run_execute
from indicators.tests.factories import (
    AuxProjectFactory,
    CareHomeFactory,
    GrantFactory,
    PersonFactory,
    RehabServiceFactory,
    SurveyFactory,
)
from registry.models import AccessLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ticking_noon")]


def person_needing_rehab(street_name: str, served: bool, name: str, **person):
    person = PersonFactory(street=Street.objects.get(name=street_name), name=name, **person)
    SurveyFactory(person=person, year=2023, needs_rehab=True, low_income_type="dibao")
    if served:
        RehabServiceFactory(person=person, kind="basic", service_date=dt.date(2023, 4, 1))
    return person


@pytest.fixture
def district():
    """宁海路: 张三 served, 李四 not; 华侨路: 王五 not served. Then a snapshot for 2022–2023."""
    people = {
        "zhang": person_needing_rehab("宁海路街道", True, "张三"),
        "li": person_needing_rehab("宁海路街道", False, "李四"),
        "wang": person_needing_rehab("华侨路街道", False, "王五"),
    }
    indicator_run_execute(years=[2022, 2023])
    return people


# ---------------------------------------------------------------------------------------------
# Dashboard


@pytest.mark.parametrize("role", ["staff", "clerk", "official", "admin"])
def test_every_role_sees_twelve_cards_and_chart_data(role, role_users, client_for, district):
    response = client_for(role_users[role]).get(reverse("indicators:dashboard"), {"year": 2023})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="card h-100 kpi-card') == 12
    assert "约束性" in page and "预期性" in page
    assert 'id="dashboard-data"' in page and "dashboard.js" in page and "echarts.min.js" in page
    assert "<script>" not in page  # CSP: no inline script
    data = response.context["chart_data"]
    assert data["trend"]["K08"]["years"] == [2022, 2023]
    k08 = next(c for c in response.context["cards"] if c["code"] == "K08")
    assert k08["value_text"] == "33.3%" and k08["status"].label == "未达标"
    assert k08["gap_url"] == reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})


def test_dashboard_street_selector_shows_street_figures_and_comparison(role_users, client_for, district):
    ninghai = Street.objects.get(name="宁海路街道")
    response = client_for(role_users["other_clerk"]).get(
        reverse("indicators:dashboard"), {"year": 2023, "street": ninghai.pk, "compare": "K08"}
    )
    k08 = next(c for c in response.context["cards"] if c["code"] == "K08")
    assert k08["value_text"] == "50.0%"  # a clerk may look at any street's aggregates
    assert k08["gap_url"].endswith(f"?street={ninghai.pk}")
    comparison = {r["street"].name: r["value_text"] for r in response.context["comparison"]}
    assert comparison["宁海路街道"] == "50.0%" and comparison["华侨路街道"] == "0.0%"
    assert comparison["小市街道"] == "无数据"


def test_dashboard_reads_snapshots_with_constant_queries(
    role_users, client_for, district, django_assert_max_num_queries
):
    client = client_for(role_users["official"])
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("indicators:dashboard"))
    # more persons and more runs do not change the page's queries
    for i in range(5):
        person_needing_rehab("江东街道", bool(i % 2), f"赵{i}")
    indicator_run_execute(years=[2020, 2021, 2022, 2023, 2024, 2025])
    with django_assert_max_num_queries(len(first.captured_queries)) as second:
        client.get(reverse("indicators:dashboard"))
    assert len(first.captured_queries) <= 14  # 12 for the snapshots, 2 for the plan check
    assert not any(
        "registry_person" in q["sql"] or "registry_survey" in q["sql"] for q in second.captured_queries
    )


def test_dashboard_without_any_run_explains_what_to_do(role_users, client_for):
    response = client_for(role_users["staff"]).get(reverse("indicators:dashboard"))
    assert response.status_code == 200
    assert "指标尚未计算" in response.content.decode()


def test_dashboard_shows_time_of_last_run(role_users, client_for, district):
    run = IndicatorRun.objects.get()
    response = client_for(role_users["official"]).get(reverse("indicators:dashboard"))
    assert (
        f"数据计算于 {run.finished_at.astimezone(dt.timezone(dt.timedelta(hours=8))):%Y-%m-%d %H:%M}"
        in response.content.decode()
    )


def test_dashboard_shows_survey_coverage_per_street(role_users, client_for, district):
    PersonFactory(street=Street.objects.get(name="华侨路街道"))  # not surveyed: counted after next run
    indicator_run_execute(years=[2023])
    response = client_for(role_users["official"]).get(reverse("indicators:dashboard"), {"year": 2023})
    coverage = {(c["street"].name if c["street"] else None): c["row"] for c in response.context["coverage"]}
    assert (coverage[None].surveyed, coverage[None].population) == (3, 4)
    assert coverage["华侨路街道"].rate == 50.0


# ---------------------------------------------------------------------------------------------
# Report and export


@pytest.mark.parametrize(("year", "title"), [(2023, "中期评估"), (2025, "期终评估")])
def test_evaluation_report_is_printable(year, title, role_users, client_for):
    indicator_run_execute(years=[2020, 2023, 2025])
    response = client_for(role_users["official"]).get(reverse("indicators:report"), {"year": year})
    page = response.content.decode()
    assert f"{title}报告" in page
    assert "report.css" in page and "data-print" in page
    assert len(response.context["rows"]) == 12 and len(response.context["matrix"]) == 13


def test_excel_export_holds_every_indicator_for_every_street_and_year(role_users, client_for, district):
    response = client_for(role_users["official"]).get(reverse("indicators:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["K08 残疾人基本康复服务覆盖率"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("街道", "2022年", "2023年")
    assert rows[1] == ("全区", None, 0.333333)  # 33.3 %; 2022 had no one in need
    assert {r[0]: r[2] for r in rows[2:15]}["宁海路街道"] == 0.5
    by_label = {r[0]: r for r in rows if r[0]}
    assert (by_label["全区目标"][2], by_label["全区是否达标"][2]) == (1, "未达标")
    assert (by_label["全区分子"][2], by_label["全区分母"][2]) == (1, 3)
    assert len(list(workbook["需求调查覆盖率"].iter_rows())) == 1 + 14 + 1 + 2  # and the district's counts


# ---------------------------------------------------------------------------------------------
# Gap lists


def test_clerk_gap_list_shows_only_his_street_with_masked_ids_and_links(role_users, client_for, district):
    response = client_for(role_users["clerk"]).get(
        reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    )
    page = response.content.decode()
    assert "李四" in page
    assert "张三" not in page  # served
    assert "王五" not in page  # other street
    li = district["li"]
    assert li.masked_id_number in page and li.id_number not in page
    assert reverse("registry:person_detail", kwargs={"pk": li.pk}) in page
    log = AccessLog.objects.get(action=AccessLog.Action.GAP_LIST)
    assert log.user == role_users["clerk"] and log.row_count == 1


def test_clerk_gap_list_says_when_it_holds_only_his_street(role_users, client_for, district):
    """The dashboard's district and other-street links lead a clerk to his own street's list: the
    page says so, rather than silently listing fewer persons than the dashboard's gap."""
    url = reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    client = client_for(role_users["clerk"])
    huaqiao = Street.objects.get(name="华侨路街道")
    ninghai = Street.objects.get(name="宁海路街道")
    notice = (
        "您只能查看本街道的名单：以下为宁海路街道的缺口人员；看板上全区和其他街道的缺口人数不在本名单中。"
    )
    for asked in ({}, {"street": huaqiao.pk}):
        response = client.get(url, asked)
        assert notice in response.content.decode()
        assert {i["obj"].name for i in response.context["items"]} == {"李四"}
    assert "gap-scope-notice" not in client.get(url, {"street": ninghai.pk}).content.decode()
    assert "gap-scope-notice" not in client_for(role_users["staff"]).get(url).content.decode()


def test_community_worker_gap_list_names_his_community(role_users, client_for, district):
    response = client_for(role_users["worker"]).get(
        reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    )
    assert (
        "您只能查看本社区的名单：以下为宁海路街道宁海路社区的缺口人员；看板上街道和全区的缺口人数包括其他社区。"
    ) in response.content.decode()


def test_staff_gap_list_covers_every_street_and_filters_by_street(role_users, client_for, district):
    url = reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    client = client_for(role_users["staff"])
    assert {i["obj"].name for i in client.get(url).context["items"]} == {"李四", "王五"}
    huaqiao = Street.objects.get(name="华侨路街道")
    assert {i["obj"].name for i in client.get(url, {"street": huaqiao.pk}).context["items"]} == {"王五"}


def test_gap_list_agrees_with_the_snapshot(role_users, client_for, district):
    url = reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    response = client_for(role_users["staff"]).get(url)
    assert response.context["page_obj"].paginator.count == 3 - 1  # denominator − numerator


@pytest.mark.parametrize("page", ["99", "x", "0"])
def test_gap_list_page_out_of_range_shows_a_page_of_the_list(page, role_users, client_for, district):
    url = reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    response = client_for(role_users["staff"]).get(url, {"page": page})
    assert response.context["page_obj"].number == 1 and response.context["page_obj"].paginator.count == 2
    assert {i["obj"].name for i in response.context["items"]} == {"李四", "王五"}


def test_gap_list_page_runs_a_pinned_number_of_queries(
    role_users, client_for, district, django_assert_num_queries
):
    """The ids of the whole list in one query, then the page's rows by id: more gaps, same queries."""
    url = reverse("indicators:gap_list", kwargs={"code": "K04", "year": 2023})
    client = client_for(role_users["staff"])
    with CaptureQueriesContext(connection) as first:
        before = client.get(url).context["page_obj"].paginator.count
    for i in range(60):  # more than a page of 50
        person = PersonFactory(name=f"孙{i}", grade="1")
        SurveyFactory(person=person, year=2023, low_income_type="tekun")
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, {"page": 2})
    assert response.context["page_obj"].paginator.count == before + 60
    sun = [i["missing"] for i in response.context["items"] if i["obj"].name.startswith("孙")]
    assert sun and all(len(missing) == 2 for missing in sun)


def test_official_sees_gap_counts_per_street_but_no_names(role_users, client_for, district):
    response = client_for(role_users["official"]).get(
        reverse("indicators:gap_list", kwargs={"code": "K08", "year": 2023})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "李四" not in page and "王五" not in page and "3201" not in page
    counts = {c["street"].name: c["total"] for c in response.context["counts"]}
    assert counts["宁海路街道"] == 1 and counts["华侨路街道"] == 1 and response.context["total"] == 2


def test_k04_gap_list_names_the_missing_subsidies(role_users, client_for):
    both = PersonFactory(name="缺两项", grade="1")
    SurveyFactory(person=both, year=2023, low_income_type="tekun")
    nursing_only = PersonFactory(name="缺护理", grade="2")
    SurveyFactory(person=nursing_only, year=2023, low_income_type="dibao")
    GrantFactory(person=nursing_only, kind="living", start_month=dt.date(2023, 1, 1))
    response = client_for(role_users["staff"]).get(
        reverse("indicators:gap_list", kwargs={"code": "K04", "year": 2023})
    )
    missing = {i["obj"].name: i["missing"] for i in response.context["items"]}
    assert missing == {
        "缺两项": ["困难残疾人生活补贴", "重度残疾人护理补贴"],
        "缺护理": ["重度残疾人护理补贴"],
    }


def test_k12_gap_list_lists_homes_without_a_project(role_users, client_for):
    CareHomeFactory(name="宁海路残疾人之家")
    AuxProjectFactory(home=CareHomeFactory(name="有项目的家"), start_date=dt.date(2023, 1, 1))
    response = client_for(role_users["clerk"]).get(
        reverse("indicators:gap_list", kwargs={"code": "K12", "year": 2023})
    )
    assert [i["obj"].name for i in response.context["items"]] == ["宁海路残疾人之家"]


@pytest.mark.parametrize(("code", "year"), [("K01", 2023), ("K02", 2023), ("K99", 2023), ("K08", 2019)])
def test_gap_list_exists_only_for_rate_indicators_and_plan_years(code, year, role_users, client_for):
    url = reverse("indicators:gap_list", kwargs={"code": code, "year": year})
    assert client_for(role_users["staff"]).get(url).status_code == 404


def test_gap_export_is_an_xlsx_of_the_scoped_list_and_is_logged(role_users, client_for, district):
    ninghai = Street.objects.get(name="宁海路街道")
    url = reverse("indicators:gap_export", kwargs={"code": "K08", "year": 2023, "street_id": ninghai.pk})
    response = client_for(role_users["clerk"]).get(url)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("李四", district["li"].masked_id_number, "宁海路街道")
    assert len(rows) == 2
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.row_count, log.object_type) == (role_users["clerk"], 1, "gap_list:K08")
    # every visible street: the clerk still gets only his own
    all_url = reverse("indicators:gap_export", kwargs={"code": "K08", "year": 2023, "street_id": 0})
    rows = list(
        load_workbook(io.BytesIO(client_for(role_users["clerk"]).get(all_url).content)).active.iter_rows()
    )
    assert len(rows) == 2


def test_official_cannot_export_a_gap_list(role_users, client_for, district):
    url = reverse("indicators:gap_export", kwargs={"code": "K08", "year": 2023, "street_id": 0})
    assert client_for(role_users["official"]).get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Run log, recompute, targets


def test_staff_recompute_now_runs_the_task_and_logs_who(role_users, client_for):
    client = client_for(role_users["staff"])
    response = client.post(reverse("indicators:recompute"), follow=True)
    run = IndicatorRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.triggered_by == role_users["staff"]
    assert run.years == list(range(2020, 2027))
    page = response.content.decode()
    assert "重新计算完成" in page and "staff" in page and f"#{run.pk}" in page


def test_recompute_refused_while_a_run_is_in_progress(role_users, client_for):
    # given another process computing (it holds the lock)
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        response = client_for(role_users["staff"]).post(reverse("indicators:recompute"), follow=True)
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        other.close()
    page = response.content.decode()
    assert "正在进行" in page and not IndicatorRun.objects.exists()
    # and the page polls for progress, with the button disabled meanwhile
    assert 'hx-trigger="every 3s"' in page
    assert 'data-testid="recompute" disabled' in page


def test_run_left_running_by_a_killed_worker_does_not_block_recompute(role_users, client_for):
    IndicatorRun.objects.create(
        started_at=dt.datetime(2026, 11, 28, tzinfo=dt.UTC), years=[2023], trigger="nightly"
    )
    client_for(role_users["staff"]).post(reverse("indicators:recompute"))
    assert list(IndicatorRun.objects.order_by("pk").values_list("status", flat=True)) == [
        "failed",
        "succeeded",
    ]


def test_run_status_polling_stops_once_the_queued_run_has_finished(role_users, client_for):
    client = client_for(role_users["staff"])
    url = reverse("indicators:run_status")
    queued_at = int(dt.datetime.now(dt.UTC).timestamp())
    # queued, not started yet: keep polling, the button stays disabled
    waiting = client.get(url, {"since": queued_at}, headers={"HX-Request": "true"})
    assert waiting.status_code == 200
    assert 'id="recompute-button"' in waiting.content.decode() and "disabled" in waiting.content.decode()
    indicator_run_execute(years=[2023])
    # finished: htmx is told to stop, and the button is enabled again (out-of-band swap)
    done = client.get(url, {"since": queued_at}, headers={"HX-Request": "true"})
    assert done.status_code == 286
    button = done.content.decode().split('id="recompute-button"')[1].split(">")[0]
    assert 'hx-swap-oob="true"' in button and "disabled" not in button


def test_run_log_shows_failed_run_error(role_users, client_for):
    IndicatorRun.objects.create(
        started_at=dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
        years=[2023],
        trigger="nightly",
        status="failed",
        error="OperationalError: 连接中断",
    )
    page = client_for(role_users["admin"]).get(reverse("indicators:run_list")).content.decode()
    assert "OperationalError: 连接中断" in page and "夜间自动" in page and "失败" in page


def test_clerk_cannot_recompute(role_users, client_for):
    assert client_for(role_users["clerk"]).post(reverse("indicators:recompute")).status_code == 404
    assert not IndicatorRun.objects.exists()


def test_staff_edits_targets_and_reference_growth_with_history(role_users, client_for):
    client = client_for(role_users["staff"])
    form = client.get(reverse("indicators:targets")).context["form"]
    data = {name: ("" if field.initial is None else field.initial) for name, field in form.fields.items()}
    data.update({"t_K11_2024": "75", "g_series_2024": "income", "g_rate_2024": "5.3"})
    response = client.post(reverse("indicators:targets"), data, follow=True)
    assert "已保存 2 项修改" in response.content.decode()
    target = Target.objects.get(indicator__code="K11", year=2024)
    assert target.value == 75
    assert target.history.first().history_user == role_users["staff"]
    growth = ReferenceGrowth.objects.get(year=2024)
    assert (growth.series, str(growth.rate)) == ("income", "5.30")
    assert growth.history.first().history_user == role_users["staff"]
    # then the next run uses them
    run = indicator_run_execute(years=[2024])
    assert run.values.get(code="K11", street=None).target == 75
    assert run.values.get(code="K01", street=None).target == 5.3


def test_invalid_target_is_refused_with_a_chinese_message(role_users, client_for):
    client = client_for(role_users["staff"])
    form = client.get(reverse("indicators:targets")).context["form"]
    data = {name: ("" if field.initial is None else field.initial) for name, field in form.fields.items()}
    data["t_K03_2023"] = "-5"
    response = client.post(reverse("indicators:targets"), data)
    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    assert Target.objects.get(indicator__code="K03", year=2023).value == 100


# ---------------------------------------------------------------------------------------------
# API


def test_api_values_filter_by_code_year_and_street(role_users, client_for, district):
    client = client_for(role_users["official"])
    url = reverse("indicators_api:value-list")
    body = client.get(url, {"code": "K08", "year": 2023, "street": "全区"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["street"], row["numerator"], row["denominator"], row["met"]) == (None, 1.0, 3.0, False)
    body = client.get(url, {"code": "K08", "year": 2023, "street": "宁海路"}).json()
    assert body["results"][0]["value"] == 50.0 and body["results"][0]["street"] == "宁海路街道"
    runs = client.get(reverse("indicators_api:run-list")).json()
    assert runs["results"][0]["status"] == "succeeded"
    json.dumps(runs)


def test_api_requires_login(client, district):
    assert client.get(reverse("indicators_api:value-list")).status_code in (401, 403)


def test_admin_lists_indicator_data_and_saves_targets_with_history(admin_user, client_for, district):
    client = client_for(admin_user)
    for model in ["indicator", "target", "referencegrowth", "indicatorrun", "indicatorvalue"]:
        assert client.get(reverse(f"admin:indicators_{model}_changelist")).status_code == 200, model
    target = Target.objects.get(indicator__code="K08", year=2025)
    response = client.post(
        reverse("admin:indicators_target_change", args=[target.pk]),
        {"indicator": target.indicator_id, "year": 2025, "value": "95"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 95 and target.history.first().history_user == admin_user
