"""数据质量: each rule at its boundary, scoping, and a page with a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from care_homes.models import CareHome, Placement
from quality import selectors
from registry.models import PersonStatus
from registry.tests.factories import PersonFactory, SurveyFactory, street
from rehab.tests.factories import RehabServiceFactory
from subsidies.models import GrantKind
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2026-11-28")]
OTHER = "华侨路街道"
DEATH = dt.date(2024, 3, 15)


def deceased(**kwargs):
    return PersonFactory(status=PersonStatus.DECEASED, status_changed_on=DEATH, **kwargs)


def placement(person, start=dt.date(2022, 1, 1), end=None):
    home, _ = CareHome.objects.get_or_create(
        name="宁海路残疾人之家",
        defaults={"level": "street", "street": person.street, "opened_on": dt.date(2019, 1, 1)},
    )
    return Placement.objects.create(person=person, home=home, mode="day_care", start_date=start, end_date=end)


# ---- (1) 停发提醒


def test_grant_without_end_after_death_is_flagged(staff_user):
    grant = GrantFactory(person=deceased())

    assert list(selectors.grants_after_exit(staff_user)) == [grant]


def test_grant_ending_in_the_month_of_death_is_not_flagged(staff_user):
    GrantFactory(person=deceased(), end_month=dt.date(2024, 3, 1))

    assert not selectors.grants_after_exit(staff_user).exists()


def test_grant_ending_the_month_after_death_is_flagged(staff_user):
    grant = GrantFactory(person=deceased(), end_month=dt.date(2024, 4, 1))

    assert list(selectors.grants_after_exit(staff_user)) == [grant]


@pytest.mark.parametrize("status", [PersonStatus.CANCELLED, PersonStatus.MOVED_OUT])
def test_cancellation_and_move_out_stop_grants_too(staff_user, status):
    grant = GrantFactory(person=PersonFactory(status=status, status_changed_on=DEATH))

    assert list(selectors.grants_after_exit(staff_user)) == [grant]


def test_grants_of_persons_in_the_registry_are_not_flagged(staff_user):
    GrantFactory()

    assert not selectors.grants_after_exit(staff_user).exists()


def test_placement_running_after_death_is_flagged_but_not_one_ended_that_day(staff_user):
    running = placement(deceased())
    placement(deceased(), end=DEATH)
    late = placement(deceased(), end=DEATH + dt.timedelta(days=1))

    assert set(selectors.placements_after_exit(staff_user)) == {running, late}


# ---- (2) overlapping grants


def test_overlapping_grants_of_one_kind_are_both_flagged(staff_user):
    first = GrantFactory(start_month=dt.date(2020, 1, 1))
    second = GrantFactory(person=first.person, start_month=dt.date(2022, 5, 1))

    assert set(selectors.overlapping_grants(staff_user)) == {first, second}


def test_grants_sharing_one_month_overlap(staff_user):
    first = GrantFactory(start_month=dt.date(2020, 1, 1), end_month=dt.date(2022, 1, 1))
    second = GrantFactory(person=first.person, start_month=dt.date(2022, 1, 1))

    assert set(selectors.overlapping_grants(staff_user)) == {first, second}


def test_consecutive_grants_and_different_kinds_do_not_overlap(staff_user):
    first = GrantFactory(start_month=dt.date(2020, 1, 1), end_month=dt.date(2021, 12, 1))
    GrantFactory(person=first.person, start_month=dt.date(2022, 1, 1))
    GrantFactory(person=first.person, kind=GrantKind.LIVING_ALLOWANCE, start_month=dt.date(2020, 1, 1))

    assert not selectors.overlapping_grants(staff_user).exists()


# ---- (3) misdated rehab services


def test_service_before_the_certificate_is_flagged_with_its_reason(staff_user):
    person = PersonFactory(issued_on=dt.date(2023, 6, 1))
    early = RehabServiceFactory(person=person, service_date=dt.date(2023, 5, 31))
    RehabServiceFactory(person=person, service_date=dt.date(2023, 6, 1))

    rows = list(selectors.misdated_rehab_services(staff_user))

    assert rows == [early] and rows[0].problem == "服务日期早于发证日期"


def test_service_after_death_is_flagged_but_not_on_the_day(staff_user):
    person = deceased()
    late = RehabServiceFactory(person=person, service_date=DEATH + dt.timedelta(days=1))
    RehabServiceFactory(person=person, service_date=DEATH)

    rows = list(selectors.misdated_rehab_services(staff_user))

    assert rows == [late] and rows[0].problem == "服务日期晚于人员状态变更日期"


# ---- (4) persons without this year's survey


def test_persons_in_the_registry_without_this_years_survey(staff_user):
    missing = PersonFactory()
    SurveyFactory(person=missing, year=2025)
    SurveyFactory(person=PersonFactory(), year=2026)
    deceased()

    assert list(selectors.persons_without_survey(staff_user)) == [missing]
    assert list(selectors.persons_without_survey(staff_user, 2025)) != [missing]


# ---- scoping and the page


def test_every_rule_is_scoped_to_the_clerks_street(clerk_user):
    other = street(OTHER)
    GrantFactory(person=deceased(street=other))
    first = GrantFactory(person__street=other, start_month=dt.date(2020, 1, 1))
    GrantFactory(person=first.person, start_month=dt.date(2021, 1, 1))
    RehabServiceFactory(person=deceased(street=other), service_date=dt.date(2025, 1, 1))
    placement(deceased(street=other))
    PersonFactory(street=other)

    assert not selectors.grants_after_exit(clerk_user).exists()
    assert not selectors.placements_after_exit(clerk_user).exists()
    assert not selectors.overlapping_grants(clerk_user).exists()
    assert not selectors.misdated_rehab_services(clerk_user).exists()
    assert not selectors.persons_without_survey(clerk_user).exists()


def test_page_lists_each_rule_with_counts_and_links_to_the_person(client_for, clerk_user):
    grant = GrantFactory(person=deceased(name="已故仍发放"))
    GrantFactory(person=deceased(street=street(OTHER), name="外街道已故"))

    response = client_for(clerk_user).get(reverse("quality:data_quality"))

    body = response.content.decode()
    counts = {section.key: section.page.paginator.count for section in response.context["sections"]}
    assert counts["grants_after_exit"] == 1 and counts["overlapping_grants"] == 0
    assert "已故仍发放" in body and "外街道已故" not in body
    assert reverse("registry:person_detail", args=[grant.person_id]) in body
    assert grant.person.masked_id_number in body and grant.person.id_number not in body


def test_staff_can_narrow_the_page_to_one_street(client_for, staff_user):
    GrantFactory(person=deceased(name="宁海路已故"))
    GrantFactory(person=deceased(street=street(OTHER), name="华侨路已故"))

    response = client_for(staff_user).get(reverse("quality:data_quality"), {"street": street(OTHER).pk})

    body = response.content.decode()
    assert "华侨路已故" in body and "宁海路已故" not in body


def test_sections_are_paged_independently(client_for, staff_user):
    for _ in range(25):
        GrantFactory(person=deceased())

    response = client_for(staff_user).get(reverse("quality:data_quality"), {"grants_after_exit_page": 2})

    section = response.context["sections"][0]
    assert section.page.number == 2 and len(section.rows) == 5
    assert "grants_after_exit_page=1" in section.previous_query


def test_official_cannot_open_the_page(client_for, official_user):
    assert client_for(official_user).get(reverse("quality:data_quality")).status_code == 404


def test_page_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for index in range(15):
        person = deceased()
        GrantFactory(person=person, start_month=dt.date(2020, 1, 1))
        GrantFactory(person=person, start_month=dt.date(2021, 1, 1))
        RehabServiceFactory(person=person, service_date=dt.date(2025, 1, 1 + index))
        placement(person)
        PersonFactory()
    client = client_for(staff_user)

    # session, user, role (3) + four record rules x (ids + page) (8) + count and page of the
    # person rule (2) + streets (1) + session save (3)
    with django_assert_max_num_queries(18):  # +1: the access-log row
        response = client.get(reverse("quality:data_quality"))
    counts = {section.key: section.page.paginator.count for section in response.context["sections"]}
    assert counts == {
        "grants_after_exit": 30,
        "placements_after_exit": 15,
        "overlapping_grants": 30,
        "misdated_services": 15,
        "persons_without_survey": 15,
    }


def test_person_rule_counts_up_to_a_cap_and_still_lists_the_page(client_for, staff_user, monkeypatch):
    from quality import views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    for _ in range(5):
        PersonFactory()
    response = client_for(staff_user).get(reverse("quality:data_quality"))
    section = {s.key: s for s in response.context["sections"]}["persons_without_survey"]
    assert section.count_text == "3+" and len(section.rows) == 5
    assert "共 3+ 条" in response.content.decode()
