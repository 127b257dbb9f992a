"""Pages of 教育助学: scoping, filters, inline forms, the gap list and the figures, bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from imports.tests.factories import read_workbook
from registry.models import AccessLog
from registry.tests.factories import PersonFactory, SurveyFactory, street
from tests.assertions import list_own_street_only, names_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
HTMX = {"HTTP_HX_REQUEST": "true"}
OTHER = "华侨路街道"


def not_enrolled(name: str, street_name: str = "宁海路街道", year: int = 2025, birth=dt.date(2015, 3, 1)):
    person = PersonFactory(name=name, birth=birth, street=street(street_name), issued_on=dt.date(2020, 6, 1))
    SurveyFactory(person=person, year=year, education="not_enrolled")
    return person


def test_clerk_lists_records_of_his_street_only(client_for, clerk_user):
    list_own_street_only(client_for(clerk_user), reverse("education:record_list"), EducationAidFactory)

    assert AccessLog.objects.get(object_type="educationaid").row_count == 1


def test_staff_filters_by_street_stage_kind_year_and_search(client_for, staff_user):
    EducationAidFactory(person__name="华侨路大学2023", person__street=street(OTHER), stage=Stage.UNIVERSITY)
    EducationAidFactory(
        person__name="华侨路大学2024",
        person__street=street(OTHER),
        stage=Stage.UNIVERSITY,
        aid_date=dt.date(2024, 1, 1),
    )
    EducationAidFactory(person__name="宁海路大学2023", stage=Stage.UNIVERSITY)
    EducationAidFactory(person__name="华侨路义务2023", person__street=street(OTHER))
    client = client_for(staff_user)

    response = client.get(
        reverse("education:record_list"),
        {"street": street(OTHER).pk, "stage": "university", "kind": "grant", "year": 2023},
    )
    assert names_in(response) == {"华侨路大学2023"}
    assert names_in(client.get(reverse("education:record_list"), {"q": "宁海路大学"})) == {"宁海路大学2023"}


def test_lists_run_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(30):
        EducationAidFactory(person__street=street(OTHER))
        HomeTeachingVisitFactory(person__street=street(OTHER))
    client = client_for(staff_user)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("education:record_list"), {"year": 2023})
    assert len(response.context["page_obj"]) == 30
    with django_assert_max_num_queries(11):
        response = client.get(reverse("education:visit_list"), {"year": 2023})
    assert len(response.context["page_obj"]) == 30


def test_list_paginates_by_fifty(client_for, staff_user):
    person = PersonFactory()
    for day in range(60):
        EducationAidFactory(person=person, aid_date=dt.date(2024, 1, 1) + dt.timedelta(days=day))
    client = client_for(staff_user)

    assert len(client.get(reverse("education:record_list")).context["page_obj"]) == 50
    assert len(client.get(reverse("education:record_list"), {"page": 2}).context["page_obj"]) == 10


def test_htmx_create_returns_the_section_with_the_new_record(client_for, clerk_user):
    person = PersonFactory(birth=dt.date(2012, 3, 4))

    response = client_for(clerk_user).post(
        reverse("education:aid_create", args=[person.pk]),
        {
            "stage": "compulsory",
            "school": "南京市力学小学",
            "kind": "grant",
            "aid_date": "2026-09-01",
            "amount": "800",
        },
        **HTMX,
    )

    body = response.content.decode()
    assert 'id="education-section"' in body and "南京市力学小学" in body
    aid = EducationAid.objects.get(person=person)
    assert (aid.amount, aid.history.get().history_user) == (Decimal(800), clerk_user)


def test_negative_amount_is_shown_under_the_amount(client_for, clerk_user):
    person = PersonFactory(birth=dt.date(2012, 3, 4))

    response = client_for(clerk_user).post(
        reverse("education:aid_create", args=[person.pk]),
        {"stage": "compulsory", "kind": "grant", "aid_date": "2026-09-01", "amount": "-5"},
        **HTMX,
    )

    assert response.context["form"].errors == {"amount": ["金额不能为负数"]}
    assert 'aria-invalid="true"' in str(response.context["form"]["amount"])
    assert not EducationAid.objects.exists()


def test_htmx_visit_create_and_plain_update(client_for, clerk_user):
    person = PersonFactory(birth=dt.date(2014, 3, 4))
    client = client_for(clerk_user)

    client.post(
        reverse("education:visit_create", args=[person.pk]),
        {"visit_date": "2026-10-09", "teacher": "李老师", "content": "认知训练"},
        **HTMX,
    )
    visit = HomeTeachingVisit.objects.get(person=person)
    response = client.post(
        reverse("education:visit_update", args=[visit.pk]),
        {"visit_date": "2026-10-09", "teacher": "李老师", "content": "语言康复训练"},
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.content == "语言康复训练"


def test_section_page_shows_both_tables_in_bounded_queries(
    client_for, clerk_user, django_assert_max_num_queries
):
    person = PersonFactory(birth=dt.date(2014, 3, 4))
    for month in range(1, 11):
        EducationAidFactory(person=person, aid_date=dt.date(2025, month, 1))
        HomeTeachingVisitFactory(person=person, visit_date=dt.date(2025, month, 2))
    client = client_for(clerk_user)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("education:person_section", args=[person.pk]), **HTMX)
    body = response.content.decode()
    assert body.count('data-testid="aid-row"') == 10 and body.count('data-testid="visit-row"') == 10


@pytest.mark.parametrize(
    ("name", "method", "by_person"),
    [
        ("education:person_section", "get", True),
        ("education:aid_create", "post", True),
        ("education:visit_create", "post", True),
        ("education:aid_update", "post", False),
    ],
)
def test_clerk_cannot_touch_a_person_of_another_street(client_for, clerk_user, name, method, by_person):
    aid = EducationAidFactory(person__street=street(OTHER))
    arg = aid.person_id if by_person else aid.pk
    data = {
        "stage": "compulsory",
        "kind": "grant",
        "aid_date": "2026-01-05",
        "amount": "1",
        "teacher": "王老师",
        "visit_date": "2026-01-05",
    }

    response = getattr(client_for(clerk_user), method)(reverse(name, args=[arg]), data, **HTMX)

    assert response.status_code == 404
    assert EducationAid.objects.count() == 1 and not HomeTeachingVisit.objects.exists()


def test_visit_update_of_another_street_is_404(client_for, clerk_user):
    visit = HomeTeachingVisitFactory(person__street=street(OTHER))

    response = client_for(clerk_user).get(reverse("education:visit_update", args=[visit.pk]))

    assert response.status_code == 404


# The gap list ---------------------------------------------------------------------------------


def test_clerk_sees_names_of_his_street_and_the_read_is_logged(
    client_for, clerk_user, django_assert_max_num_queries
):
    not_enrolled("未入学甲")
    visited = not_enrolled("已送教乙")
    HomeTeachingVisitFactory(person=visited, visit_date=dt.date(2025, 12, 31))
    not_enrolled("外街道丙", OTHER)
    client = client_for(clerk_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("education:gap_list"), {"year": 2025})

    assert [p.name for p in response.context["page_obj"]] == ["未入学甲"]
    log = AccessLog.objects.get(object_type="gap_list:education")
    assert log.row_count == 1 and log.action == AccessLog.Action.GAP_LIST
    assert reverse("indicators:gap_list", args=["K07", 2025]) in response.content.decode()


def test_default_year_is_the_latest_surveyed_year(client_for, staff_user):
    not_enrolled("二〇二五年", year=2025)

    response = client_for(staff_user).get(reverse("education:gap_list"))

    assert response.context["year"] == 2025 and [p.name for p in response.context["page_obj"]] == [
        "二〇二五年"
    ]


def test_staff_narrows_by_street_and_clerk_gets_404_for_another(client_for, staff_user, clerk_user):
    not_enrolled("宁海路甲")
    not_enrolled("华侨路乙", OTHER)

    response = client_for(staff_user).get(
        reverse("education:gap_list"), {"year": 2025, "street": street(OTHER).pk}
    )
    assert [p.name for p in response.context["page_obj"]] == ["华侨路乙"]
    other = client_for(clerk_user).get(
        reverse("education:gap_list"), {"year": 2025, "street": street(OTHER).pk}
    )
    assert other.status_code == 404


@pytest.mark.parametrize("year", ["2019", "2027", "abc"])
def test_a_year_outside_the_picker_is_404(client_for, staff_user, year):
    assert client_for(staff_user).get(reverse("education:gap_list"), {"year": year}).status_code == 404


def test_official_sees_counts_per_street_without_names(client_for, official_user):
    not_enrolled("宁海路甲")
    not_enrolled("宁海路乙")
    not_enrolled("华侨路丙", OTHER)

    response = client_for(official_user).get(reverse("education:gap_list"), {"year": 2025})

    body = response.content.decode()
    counts = {c["street"].name: c["total"] for c in response.context["counts"]}
    assert counts["宁海路街道"] == 2 and counts[OTHER] == 1 and response.context["total"] == 3
    assert "宁海路甲" not in body and "助学记录" not in body
    assert not AccessLog.objects.exists()


def test_gap_export_is_the_clerks_list_with_masked_ids_and_logged(client_for, clerk_user):
    person = not_enrolled("未入学甲")
    not_enrolled("外街道丙", OTHER)

    response = client_for(clerk_user).get(reverse("education:gap_export"), {"year": 2025})

    rows = read_workbook(response.content)["未入学且无送教上门"]
    assert [row[0] for row in rows[1:]] == ["未入学甲"]
    assert rows[1][1] == person.masked_id_number
    assert AccessLog.objects.get(action=AccessLog.Action.EXPORT).row_count == 1


def test_officials_may_not_export_names(client_for, official_user):
    assert client_for(official_user).get(reverse("education:gap_export"), {"year": 2025}).status_code == 404


# Figures --------------------------------------------------------------------------------------


def test_figures_by_stage_kind_and_street(client_for, official_user, django_assert_max_num_queries):
    EducationAidFactory(aid_date=dt.date(2025, 3, 1), amount=Decimal("800.50"))
    EducationAidFactory(aid_date=dt.date(2025, 9, 1), amount=Decimal("1000"))
    EducationAidFactory(
        person__street=street(OTHER),
        stage=Stage.UNIVERSITY,
        kind=AidKind.AWARD,
        aid_date=dt.date(2025, 12, 31),
        amount=Decimal(3000),
    )
    EducationAidFactory(kind=AidKind.HOME_TEACHING, amount=None, aid_date=dt.date(2025, 1, 1))
    EducationAidFactory(aid_date=dt.date(2024, 12, 31), amount=Decimal(99))  # another year
    HomeTeachingVisitFactory(visit_date=dt.date(2025, 1, 1))
    HomeTeachingVisitFactory(visit_date=dt.date(2025, 12, 31))
    not_enrolled("未入学甲", OTHER)
    client = client_for(official_user)

    with django_assert_max_num_queries(9):  # two aggregates, whatever the number of records
        response = client.get(reverse("education:figures"), {"year": 2025})

    f = response.context["figures"]
    compulsory = f["stage_rows"][1]
    assert (
        compulsory["label"] == "义务教育"
        and compulsory["n"] == 3
        and compulsory["amount"] == Decimal("1800.50")
    )
    assert [c["n"] for c in compulsory["cells"]] == [2, 0, 1, 0]
    assert f["stage_rows"][3]["cells"][1] == {"n": 1, "amount": Decimal(3000)}
    streets = {row["street"].name: row for row in f["street_rows"]}
    assert (streets["宁海路街道"]["n"], streets["宁海路街道"]["visits"]) == (3, 2)
    assert (streets[OTHER]["n"], streets[OTHER]["amount"], streets[OTHER]["gap"]) == (1, Decimal(3000), 1)
    assert f["total"]["n"] == 4 and f["total"]["amount"] == Decimal("4800.50") and f["total"]["gap"] == 1
    body = response.content.decode()
    assert "未入学甲" not in body and "助学记录" not in body


@pytest.mark.parametrize("user", ["staff_user", "official_user"])
def test_k07s_gap_list_links_to_this_one(client_for, request, user):
    response = client_for(request.getfixturevalue(user)).get(
        reverse("indicators:gap_list", args=["K07", 2025])
    )

    assert f"{reverse('education:gap_list')}?year=2025" in response.content.decode()
