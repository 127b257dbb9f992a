"""The dashboard as officials read it: the street comparison's data (sorted, target, links), axes
fitted to the figures, year-on-year change, K05's headcount headline, K01 without a reference rate,
the formatted Excel export and the printed report."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Street
from indicators.demo import EXAMPLE_RATES, generate_example_growth
from indicators.models import GrowthSeries, ReferenceGrowth
from indicators.presentation import axis_bounds, chinese_quotes, yoy_change
from indicators.services import reference_growth_set
from indicators.tests.factories import IndicatorRunFactory, IndicatorValueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ticking_noon")]


def _value(run, code, year, street, value, *, target=100.0, numerator=None, denominator=None, **extra):
    met = None if value is None or target is None else value >= target
    return IndicatorValueFactory(
        run=run,
        code=code,
        year=year,
        street=street,
        value=value,
        target=target,
        met=met,
        numerator=numerator,
        denominator=denominator,
        extra=extra.get("extra", {}),
    )


@pytest.fixture
def snapshot_2022_2023():
    """A run for 2022–2023 with K03 at 89–98 % in three streets, K02 a count, K05 with its
    headcount, and K01 without a reference growth rate (no target)."""
    run = IndicatorRunFactory(years=[2022, 2023])
    street = {s.name: s for s in Street.objects.all()}
    _value(run, "K03", 2022, None, 92.0, numerator=92, denominator=100)
    _value(run, "K03", 2023, None, 94.5, numerator=189, denominator=200)
    for name, value in [("宁海路街道", 98.0), ("华侨路街道", 89.0), ("湖南路街道", 95.5)]:
        _value(run, "K03", 2023, street[name], value, numerator=value, denominator=100)
        _value(run, "K03", 2022, street[name], value - 1, numerator=value - 1, denominator=100)
    _value(run, "K02", 2022, None, 300, target=300)
    _value(run, "K02", 2023, None, 450, target=450)
    _value(run, "K02", 2023, street["宁海路街道"], 40, target=None)
    _value(run, "K05", 2022, None, 75.0, numerator=75, denominator=100, extra={"served": 100})
    _value(run, "K05", 2023, None, 80.0, numerator=80, denominator=100, extra={"served": 120})
    _value(run, "K01", 2023, None, 5.2, target=None, numerator=52000, denominator=49430)
    return run


def dashboard(client, **params):
    return client.get(reverse("indicators:dashboard"), {"year": 2023, **params})


def card(response, code):
    return next(c for c in response.context["cards"] if c["code"] == code)


# ---------------------------------------------------------------------------------------------
# Street comparison


def test_comparison_data_holds_every_indicator_sorted_by_value_with_target_and_street_links(
    role_users, client_for, snapshot_2022_2023
):
    response = dashboard(client_for(role_users["official"]), compare="K05")
    comparison = response.context["chart_data"]["comparison"]

    # every indicator is on the page, so the browser switches without asking the server
    assert comparison["selected"] == "K05"
    assert set(comparison["indicators"]) == {f"K{n:02d}" for n in range(1, 13)}
    k03 = comparison["indicators"]["K03"]
    assert [s["full_name"] for s in k03["streets"][:3]] == ["宁海路街道", "湖南路街道", "华侨路街道"]
    assert [s["value"] for s in k03["streets"][:3]] == [98.0, 95.5, 89.0]
    assert all(s["value"] is None and s["text"] == "无数据" for s in k03["streets"][3:])
    assert len(k03["streets"]) == 13
    assert (k03["target"], k03["target_text"]) == (100.0, "100%")
    # each street opens its own dashboard, keeping the year and the comparison
    ninghai = Street.objects.get(name="宁海路街道")
    assert k03["streets"][0]["url"] == f"?year=2023&street={ninghai.pk}&compare=K03"
    assert (k03["streets"][0]["status"], k03["streets"][0]["css"]) == ("未达标", "danger")
    # K02's target is the district's: streets get no target line
    assert comparison["indicators"]["K02"]["target"] is None


def test_comparison_table_is_sorted_by_value_and_links_each_street(
    role_users, client_for, snapshot_2022_2023
):
    response = dashboard(client_for(role_users["official"]), compare="K03")
    names = [r["street"].name for r in response.context["comparison"]]
    assert names[:3] == ["宁海路街道", "湖南路街道", "华侨路街道"]
    page = response.content.decode()
    ninghai = Street.objects.get(name="宁海路街道")
    assert f'<a href="?year=2023&amp;street={ninghai.pk}&amp;compare=K03">宁海路街道</a>' in page
    # the selector switches in place: no auto-submitting form around it
    assert "data-compare-form" in page and "<script>" not in page


def test_street_dashboard_shows_the_street_and_a_way_back(role_users, client_for, snapshot_2022_2023):
    ninghai = Street.objects.get(name="宁海路街道")
    response = dashboard(client_for(role_users["other_clerk"]), street=ninghai.pk, compare="K03")
    assert card(response, "K03")["value_text"] == "98.0%"
    assert response.context["chart_data"]["comparison"]["current_street"] == ninghai.pk  # its bar stands out
    page = response.content.decode()
    assert (
        "2023年 · 宁海路街道" in page
        and '<a class="ms-2 fw-normal" href="?year=2023&amp;compare=K03">返回全区</a>' in page
    )


# ---------------------------------------------------------------------------------------------
# Scale and change


def test_axes_fit_the_data_instead_of_zero_to_hundred(role_users, client_for, snapshot_2022_2023):
    data = dashboard(client_for(role_users["official"])).context["chart_data"]
    # 89–98 % with a 100 % target: the axis starts near the data, not at 0
    assert data["comparison"]["indicators"]["K03"]["axis"] == {"min": 85, "max": 100, "interval": 5}
    assert data["trend"]["K03"]["axis"] == {"min": 90, "max": 100, "interval": 2.5}
    # a count starts no lower than 0 and reaches above the data
    k02 = data["trend"]["K02"]["axis"]
    assert k02["min"] >= 0 and k02["max"] >= 450


def test_axis_bounds_pad_round_and_keep_rates_within_zero_to_hundred():
    assert axis_bounds([89, 98], "%") == {"min": 87.5, "max": 100, "interval": 2.5}
    assert axis_bounds([100, 100], "%") == {"min": 94, "max": 100, "interval": 2}
    assert axis_bounds([0], "%")["min"] == 0
    assert axis_bounds([-2.5, 4.5, 8], "%") == {"min": -5, "max": 10, "interval": 5}  # K01 can fall
    assert axis_bounds([1, 7], "人")["min"] == 0  # padding never takes a count below 0
    assert axis_bounds([None, None], "%") == {"min": None, "max": None, "interval": None}


def test_each_card_shows_the_change_on_the_year_before(role_users, client_for, snapshot_2022_2023):
    response = dashboard(client_for(role_users["official"]))
    assert card(response, "K03")["change"].text == "▲ 2.5个百分点"
    assert card(response, "K02")["change"].text == "▲ 150人"
    assert card(response, "K08")["change"] is None  # no figures: nothing to compare
    page = response.content.decode()
    assert "较2022年 ▲ 2.5个百分点" in page and "较上年：无可比数据" in page


def test_year_on_year_change_reads_down_and_flat():
    assert yoy_change(90.0, 95.25, "%").text == "▼ 5.2个百分点"
    assert yoy_change(90.0, 95.25, "%").css == "danger"
    assert yoy_change(95.0, 95.01, "%").text == "持平"
    assert yoy_change(None, 90.0, "%") is None


# ---------------------------------------------------------------------------------------------
# K05 and K01


def test_k05_headline_is_the_number_of_persons_served_then_need_coverage(
    role_users, client_for, snapshot_2022_2023
):
    response = dashboard(client_for(role_users["official"]))
    k05 = card(response, "K05")
    assert (k05["headline_label"], k05["headline_text"]) == ("托养服务人数", "120人")
    assert k05["change"].text == "▲ 20人"
    assert (k05["secondary"]["label"], k05["secondary"]["text"]) == ("有需求者覆盖率", "80.0%")
    assert k05["secondary"]["change"].text == "▲ 5.0个百分点"
    assert "托养服务人数" not in [label for label, _ in k05["extras"]]  # not shown twice
    page = response.content.decode()
    block = page.split('data-code="K05"')[1].split('data-code="K06"')[0]
    assert block.index('data-testid="value-K05">120人<') < block.index("有需求者覆盖率")


def test_k01_without_reference_rate_links_staff_to_the_targets_page(
    role_users, client_for, snapshot_2022_2023
):
    staff = dashboard(client_for(role_users["staff"]))
    k01 = card(staff, "K01")
    assert k01["target_text_value"] == "未设参考增速"
    url = reverse("indicators:targets") + "#reference-growth"
    assert k01["target_missing_url"] == url
    assert f'<a href="{url}">未设参考增速</a>' in staff.content.decode()
    # and the link leads to the reference growth table
    targets_page = client_for(role_users["staff"]).get(reverse("indicators:targets")).content.decode()
    assert 'id="reference-growth"' in targets_page
    # an official cannot open the targets page: told who enters it, no dead link
    official = dashboard(client_for(role_users["official"]))
    page = official.content.decode()
    assert "未设参考增速" in page and "由区残联工作人员录入" in page
    assert reverse("indicators:targets") not in page


def test_dashboard_with_a_k01_target_costs_one_query_more_at_most(
    role_users, client_for, snapshot_2022_2023, django_assert_max_num_queries
):
    """The pinned count (test_views: at most 14) plus the reference rate read to label examples."""
    _value(snapshot_2022_2023, "K01", 2022, None, 3.0, target=4.0)
    client = client_for(role_users["official"])
    with django_assert_max_num_queries(15):
        response = dashboard(client, year=2022)
    assert card(response, "K01")["target_text_value"] == "4%"


def test_k01_example_reference_rate_is_marked_as_example(role_users, client_for):
    run = IndicatorRunFactory(years=[2023])
    _value(run, "K01", 2023, None, 5.2, target=5.0)
    ReferenceGrowth.objects.create(year=2023, series=GrowthSeries.DISPOSABLE_INCOME, rate=5, is_example=True)
    response = dashboard(client_for(role_users["official"]))
    assert card(response, "K01")["target_text_value"] == "5%（示例）"
    report = client_for(role_users["official"]).get(reverse("indicators:report"), {"year": 2023})
    assert "<td>5%（示例）</td>" in report.content.decode()  # an example never prints as the real figure
    # staff enter the real figure: no longer an example
    reference_growth_set(acting_user=role_users["staff"], year=2023, series="income", rate=5)
    assert not ReferenceGrowth.objects.get(year=2023).is_example
    assert card(dashboard(client_for(role_users["official"])), "K01")["target_text_value"] == "5%"


def test_demo_enters_example_rates_for_the_plan_years_without_overwriting_staff_figures():
    ReferenceGrowth.objects.create(year=2023, series=GrowthSeries.GDP, rate=6)
    assert generate_example_growth() == len(EXAMPLE_RATES) - 1
    rows = {g.year: g for g in ReferenceGrowth.objects.all()}
    assert sorted(rows) == list(range(2020, 2026))  # no rate invented past the plan
    assert not rows[2023].is_example and rows[2023].rate == 6
    assert all(rows[y].is_example for y in rows if y != 2023)
    assert generate_example_growth() == 0


def test_targets_page_marks_example_rates(role_users, client_for):
    generate_example_growth()
    response = client_for(role_users["staff"]).get(reverse("indicators:targets"))
    examples = [row["year"] for row in response.context["growth_rows"] if row["example"]]
    assert examples == list(range(2020, 2026))
    assert "示例</span>" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Excel export and printed report


def test_excel_export_has_one_formatted_sheet_per_indicator(role_users, client_for, snapshot_2022_2023):
    response = client_for(role_users["official"]).get(reverse("indicators:export"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "指标一览"
    assert workbook.sheetnames[-1] == "需求调查覆盖率"
    assert len(workbook.sheetnames) == 1 + 12 + 1
    sheet = workbook["K03 符合条件的残疾人纳入最低生活保障比例"]
    assert sheet.freeze_panes == "B2" and all(cell.font.b for cell in sheet[1])
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["街道", "2022年", "2023年"]
    assert [c.value for c in rows[1]] == ["全区", 0.92, 0.945]
    assert rows[1][2].number_format == "0.0%" and rows[1][2].data_type == "n"
    assert [r[0].value for r in rows[1:15]] == [
        "全区",
        *Street.objects.order_by("order").values_list("name", flat=True),
    ]
    by_label = {r[0].value: r for r in rows if r[0].value}
    assert by_label["宁海路街道"][2].value == 0.98
    assert by_label["全区目标"][2].value == 1 and by_label["全区目标"][2].number_format == "0.0%"
    assert by_label["全区是否达标"][2].value == "未达标"
    assert (by_label["全区分子"][2].value, by_label["全区分母"][2].number_format) == (189, "0")
    k02 = {r[0].value: r for r in workbook["K02 残疾人职业技能培训人数"].iter_rows() if r[0].value}
    assert (k02["全区"][2].value, k02["全区"][2].number_format) == (450, "0")
    k05 = list(workbook["K05 残疾人托养服务人数"].iter_rows())
    assert [c.value for c in k05[0]] == ["托养服务人数", "2022年", "2023年"]  # persons served first
    assert (k05[1][2].value, k05[1][2].number_format) == (120, "0")
    assert [c.value for c in k05[16]] == ["有需求者覆盖率", "2022年", "2023年"] and k05[16][0].font.b
    assert (k05[17][0].value, k05[17][2].value, k05[17][2].number_format) == ("全区", 0.8, "0.0%")
    k01 = {r[0].value: r for r in workbook["K01 残疾人家庭人均收入年均增速"].iter_rows() if r[0].value}
    assert k01["人均收入（元）"][2].number_format == "0.00"
    assert "K12 每个“残疾人之家”培育辅助性就业项目" in workbook.sheetnames


def test_printed_report_uses_chinese_quotes_and_status_words(role_users, client_for, snapshot_2022_2023):
    response = client_for(role_users["official"]).get(reverse("indicators:report"), {"year": 2023})
    page = response.content.decode()
    assert "鼓楼区“十四五”残疾人事业发展规划" in page and '"十四五"' not in page
    assert "每个“残疾人之家”" in page
    matrix = {line["street"].name: line["cells"] for line in response.context["matrix"]}
    codes = response.context["snap"].codes
    ninghai = dict(zip(codes, matrix["宁海路街道"], strict=True))
    assert ninghai["K03"]["status_text"] == "未达标"
    assert ninghai["K02"]["status_text"] == "无目标"
    assert ninghai["K08"]["status_text"] == ""  # 无数据 already says it
    assert '98.0%<span class="status-word">未达标</span>' in page
    # K05 reads as the plan names it: persons served, need coverage beside
    assert '<strong>120人</strong><div class="small">有需求者覆盖率 80.0%</div>' in page


def test_chinese_quotes_pair_straight_quotes():
    assert chinese_quotes('每个"残疾人之家"培育') == "每个“残疾人之家”培育"
    assert chinese_quotes('a"b') == 'a"b'
