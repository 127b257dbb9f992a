"""Gap lists and the dashboard export go through the portal's one writer: text that a spreadsheet
would run is plain text, figures are typed cells with formats, the header is frozen."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Street
from imports.tests.factories import HOSTILE_TEXTS, assert_plain_text, neutralised
from indicators.models import Indicator
from indicators.presentation import chinese_quotes
from indicators.services import indicator_run_execute
from indicators.tests.factories import CareHomeFactory, PersonFactory, SurveyFactory
from registry.tests.factories import CommunityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ticking_noon")]

PERSON_GAP_CODES = ["K03", "K04", "K05", "K06", "K07", "K08", "K09"]


@pytest.fixture
def hostile_children():
    """A child per hostile name, in the 2023 gap list of K03–K09 (a need, nothing received)."""
    community = CommunityFactory(name="@社区")
    children = []
    for text in HOSTILE_TEXTS:
        child = PersonFactory(name=text, birth=dt.date(2014, 3, 1), grade="1", community=community)
        SurveyFactory(
            person=child,
            year=2023,
            dibao_eligible=True,
            low_income_type="dibao",
            needs_care=True,
            medical_insurance="not_insured",
            education="not_enrolled",
            needs_rehab=True,
            needs_device=True,
        )
        children.append(child)
    return children


def export_rows(client, code: str) -> list:
    url = reverse("indicators:gap_export", kwargs={"code": code, "year": 2023, "street_id": 0})
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    return list(sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("code", PERSON_GAP_CODES)
def test_gap_list_export_writes_hostile_names_as_plain_text(code, role_users, client_for, hostile_children):
    rows = export_rows(client_for(role_users["staff"]), code)

    names = {row[0].value: row for row in rows}
    assert set(names) == {neutralised(text) for text in HOSTILE_TEXTS}
    for text in HOSTILE_TEXTS:
        row = names[neutralised(text)]
        assert_plain_text(row[0], text)  # 姓名
        assert_plain_text(row[3], "@社区")  # 所属社区
        assert row[1].data_type == "s" and row[1].value.startswith("320106")  # masked ID number


def test_k12_gap_list_export_writes_hostile_home_names_as_plain_text_and_dates_typed(role_users, client_for):
    for text in HOSTILE_TEXTS:
        CareHomeFactory(name=text, opened_on=dt.date(2019, 1, 1))

    rows = export_rows(client_for(role_users["staff"]), "K12")

    homes = {row[0].value: row for row in rows}
    assert set(homes) == {neutralised(text) for text in HOSTILE_TEXTS}
    for text in HOSTILE_TEXTS:
        row = homes[neutralised(text)]
        assert_plain_text(row[0], text)
        assert row[2].value == dt.datetime(2019, 1, 1) and row[2].number_format == "yyyy-mm-dd"


def test_dashboard_export_writes_hostile_names_as_plain_text_and_rates_as_percentages(
    role_users, client_for, hostile_children
):
    Indicator.objects.filter(code="K08").update(name=HOSTILE_TEXTS[0])
    Street.objects.filter(name="华侨路街道").update(name="-华侨路")
    indicator_run_execute(years=[2023])

    response = client_for(role_users["official"]).get(reverse("indicators:export"))

    workbook = load_workbook(io.BytesIO(response.content))
    overview = workbook["指标一览"]
    assert overview.freeze_panes == "A2" and all(cell.font.b for cell in overview[1])
    k08_line = next(r for r in overview.iter_rows(min_row=2) if r[0].value == "K08")
    assert_plain_text(k08_line[1], chinese_quotes(HOSTILE_TEXTS[0]))  # 指标名称
    sheet = workbook[k08_line[6].value]  # 工作表: the indicator's own sheet
    assert sheet.freeze_panes == "B2" and all(cell.font.b for cell in sheet[1])
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2) if r[0].value}
    assert (rows["全区"][1].value, rows["全区"][1].data_type, rows["全区"][1].number_format) == (
        0,
        "n",
        "0.0%",
    )
    assert (rows["全区目标"][1].value, rows["全区目标"][1].number_format) == (1, "0.0%")  # 100%
    assert (rows["全区分子"][1].value, rows["全区分母"][1].value) == (0, 6)
    assert_plain_text(rows[neutralised("-华侨路")][0], "-华侨路")
    k02 = next(workbook[name] for name in workbook.sheetnames if name.startswith("K02"))
    district = next(r for r in k02.iter_rows(min_row=2) if r[0].value == "全区")
    assert district[1].number_format == "0"  # a count of persons, not a percentage
    coverage = workbook["需求调查覆盖率"]
    assert coverage.freeze_panes == "B2"
    district = next(r for r in coverage.iter_rows(min_row=2) if r[0].value == "全区")
    assert (district[1].value, district[1].number_format) == (1, "0.0%")  # 6 of 6 surveyed
    counts = {r[0].value: r[1] for r in coverage.iter_rows(min_row=2) if r[0].value}
    assert (counts["全区已调查人数"].value, counts["全区持证人数"].value) == (6, 6)
    assert counts["全区持证人数"].number_format == "0"
