"""Gap lists and the dashboard export go through the portal's one writer: text that a spreadsheet
would run is plain text, figures are typed cells with formats, the header is frozen."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from imports.tests.factories import HOSTILE_TEXTS, assert_plain_text, neutralised
from indicators.models import Indicator
from indicators.services import indicator_run_execute
from indicators.tests.factories import CareHomeFactory, PersonFactory, SurveyFactory
from registry.models import Street
from registry.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

PERSON_GAP_CODES = ["K03", "K04", "K05", "K06", "K07", "K08", "K09"]


@pytest.fixture(autouse=True)
def frozen_today():
    with freeze_time("2026-11-28 04:00:00", tick=True):
        yield


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
    sheet = workbook["指标值"]
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    rows = list(sheet.iter_rows(min_row=2))
    k08 = next(r for r in rows if r[0].value == "K08" and r[4].value == "全区")
    assert_plain_text(k08[1], HOSTILE_TEXTS[0])  # 指标名称
    assert (k08[5].value, k08[6].value, k08[7].value) == (0, 6, 0)
    assert (k08[7].data_type, k08[7].number_format) == ("n", "0.0%")  # 指标值
    assert (k08[8].value, k08[8].number_format) == (1, "0.0%")  # 目标值 100%
    assert (k08[3].value, k08[3].data_type) == (2023, "n")  # 年度
    street_cells = [r[4] for r in rows if r[4].value == neutralised("-华侨路")]
    assert street_cells and all(cell.data_type == "s" for cell in street_cells)
    k02 = next(r for r in rows if r[0].value == "K02" and r[4].value == "全区")
    assert k02[8].number_format == "0"  # a count of persons, not a percentage
    coverage = workbook["需求调查覆盖率"]
    assert coverage.freeze_panes == "A2"
    district = next(r for r in coverage.iter_rows(min_row=2) if r[1].value == "全区")
    assert (district[2].value, district[3].value, district[4].number_format) == (6, 6, "0.0%")
    assert district[4].value == 1
