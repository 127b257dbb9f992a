"""Care-home pages: scoping (home by street, placement by person, project by home), htmx forms,
closing a home, bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import assert_form_refuses, assert_page_shows

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def other_street_person(**kwargs):
    return PersonFactory(street=street("华侨路街道"), **kwargs)


def test_clerk_home_list_shows_his_streets_homes_only(client_for, clerk_user):
    CareHomeFactory(name="宁海路街道残疾人之家")
    CareHomeFactory(name="华侨路街道残疾人之家", street=street("华侨路街道"))
    page = client_for(clerk_user).get(reverse("care_homes:home_list")).content.decode()
    assert "宁海路街道残疾人之家" in page
    assert "华侨路街道残疾人之家" not in page


@freeze_time("2024-06-15")
def test_home_list_filters_operating_disabled_persons_homes(client_for, staff_user):
    CareHomeFactory(name="运营中的残疾人之家")
    CareHomeFactory(name="已停用的残疾人之家", closed_on=dt.date(2022, 6, 30))
    CareHomeFactory(name="托养中心", is_disabled_home=False, level="district")
    assert_page_shows(
        client_for(staff_user),
        reverse("care_homes:home_list"),
        {"is_disabled_home": "yes", "operating": "yes"},
        shows=["运营中的残疾人之家"],
        hides=["已停用的残疾人之家", "托养中心"],
    )


def test_home_list_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    for _ in range(20):
        home = CareHomeFactory()
        PlacementFactory(home=home)
        AuxProjectFactory(home=home)
    client = client_for(staff_user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("care_homes:home_list")).status_code == 200


def test_home_page_lists_only_the_clerks_persons_and_counts_the_others(client_for, clerk_user):
    # given a district home in the clerk's street serving persons of two streets
    home = CareHomeFactory(level="district", is_disabled_home=False)
    own = PlacementFactory(home=home, person=PersonFactory(name="本街道托养人员"))
    PlacementFactory(home=home, person=other_street_person(name="外街道托养人员"))
    # when the clerk opens the home's page
    page = client_for(clerk_user).get(reverse("care_homes:home_detail", args=[home.pk])).content.decode()
    # then he sees his person (masked ID) and only a count of the other
    assert "本街道托养人员" in page
    assert own.person.masked_id_number in page
    assert own.person.id_number not in page
    assert "外街道托养人员" not in page
    assert "另有其他街道人员 1 人" in page


def test_home_page_runs_a_bounded_number_of_queries(client_for, staff_user, django_assert_max_num_queries):
    home = CareHomeFactory()
    for _ in range(25):
        PlacementFactory(home=home)
    for _ in range(5):
        AuxProjectFactory(home=home)
    client = client_for(staff_user)
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("care_homes:home_detail", args=[home.pk]), {"placements": "all"}).status_code
            == 200
        )


def test_staff_adds_a_project_inline_on_the_home_page(client_for, staff_user):
    home = CareHomeFactory()
    response = client_for(staff_user).post(
        reverse("care_homes:project_create", args=[home.pk]),
        {"name": "非遗绒花制作", "start_date": "2024-03-01", "participants": "8"},
        **HTMX,
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="home-projects"')
    assert "非遗绒花制作" in content
    assert AuxProject.objects.get().history.get().history_user == staff_user


def test_plain_project_post_returns_to_the_home_page(client_for, clerk_user):
    home = CareHomeFactory()
    response = client_for(clerk_user).post(
        reverse("care_homes:project_create", args=[home.pk]),
        {"name": "纸盒折叠包装", "start_date": "2024-03-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("care_homes:home_detail", args=[home.pk])


def test_project_before_the_home_opened_shows_the_services_message(client_for, clerk_user):
    home = CareHomeFactory(opened_on=dt.date(2020, 1, 1))
    assert_form_refuses(
        client_for(clerk_user),
        reverse("care_homes:project_create", args=[home.pk]),
        {"name": "纸盒折叠包装", "start_date": "2019-03-01"},
        "开始日期早于该机构的启用日期（2020-01-01）",
        **HTMX,
    )
    assert not AuxProject.objects.exists()


def test_clerk_cannot_add_a_project_to_another_streets_home(client_for, clerk_user):
    home = CareHomeFactory(street=street("华侨路街道"))
    response = client_for(clerk_user).post(
        reverse("care_homes:project_create", args=[home.pk]),
        {"name": "纸盒折叠包装", "start_date": "2024-03-01"},
    )
    assert response.status_code == 404
    assert not AuxProject.objects.exists()


def test_clerk_ends_a_project(client_for, clerk_user):
    project = AuxProjectFactory(start_date=dt.date(2021, 3, 1))
    client_for(clerk_user).post(
        reverse("care_homes:project_end", args=[project.pk]), {"end_date": "2024-12-31"}, **HTMX
    )
    project.refresh_from_db()
    assert project.end_date == dt.date(2024, 12, 31)


def test_clerk_creates_a_home_in_his_street_only(client_for, clerk_user):
    client = client_for(clerk_user)
    form = {
        "name": "宁海路街道第二残疾人之家",
        "level": "street",
        "is_disabled_home": "on",
        "opened_on": "2024-09-01",
    }
    forged = client.post(reverse("care_homes:home_create"), {**form, "street": street("华侨路街道").pk})
    assert forged.status_code == 200
    assert not CareHome.objects.exists()
    created = client.post(reverse("care_homes:home_create"), {**form, "street": street().pk})
    home = CareHome.objects.get()
    assert created["Location"] == reverse("care_homes:home_detail", args=[home.pk])
    assert home.street == street()
    assert home.history.get().history_user == clerk_user


def test_staff_edits_a_home_of_any_street(client_for, staff_user):
    home = CareHomeFactory(street=street("小市街道"))
    response = client_for(staff_user).post(
        reverse("care_homes:home_update", args=[home.pk]),
        {
            "name": home.name,
            "level": "street",
            "street": home.street_id,
            "rating": "5A",
            "opened_on": "2018-01-01",
        },
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.rating == "5A"
    assert not home.is_disabled_home


def test_closing_a_home_through_its_page_ends_running_placements(client_for, staff_user):
    home = CareHomeFactory()
    placement = PlacementFactory(home=home, start_date=dt.date(2022, 1, 1))
    response = client_for(staff_user).post(
        reverse("care_homes:home_close", args=[home.pk]), {"closed_on": "2024-07-01"}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    home.refresh_from_db()
    assert home.closed_on == dt.date(2024, 7, 1)
    assert placement.end_date == dt.date(2024, 6, 30)


def test_placement_form_offers_homes_of_every_street(client_for, clerk_user):
    CareHomeFactory(name="鼓楼区残疾人托养中心", street=street("江东街道"), level="district")
    person = PersonFactory()
    page = (
        client_for(clerk_user).get(reverse("care_homes:placement_create", args=[person.pk])).content.decode()
    )
    assert "鼓楼区残疾人托养中心（江东）" in page


def place_in_the_section(client, home, mode: str, start_date: str) -> str:
    """Places a new person in `home` from his care-homes section; returns the section it answers."""
    response = client.post(
        reverse("care_homes:placement_create", args=[PersonFactory().pk]),
        {"home": home.pk, "mode": mode, "start_date": start_date},
        **HTMX,
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="care-homes-section"')
    return content


def test_clerk_places_his_person_in_another_streets_home_inline(client_for, clerk_user):
    home = CareHomeFactory(name="鼓楼区残疾人托养中心", street=street("江东街道"), level="district")
    content = place_in_the_section(client_for(clerk_user), home, "residential", "2024-03-01")
    assert "鼓楼区残疾人托养中心" in content
    assert Placement.objects.get().history.get().history_user == clerk_user


def test_placement_in_a_closed_home_is_refused_on_the_form(client_for, clerk_user):
    home = CareHomeFactory(closed_on=dt.date(2022, 6, 30))
    assert_form_refuses(
        client_for(clerk_user),
        reverse("care_homes:placement_create", args=[PersonFactory().pk]),
        {"home": home.pk, "mode": "day_care", "start_date": "2023-03-01"},
        "该机构已于2022-06-30停用，不能在此后开始",
    )
    assert not Placement.objects.exists()


@pytest.mark.parametrize("url_name", ["care_homes:placement_update", "care_homes:placement_end"])
def test_placement_of_another_streets_person_is_404_even_in_the_clerks_home(url_name, client_for, clerk_user):
    placement = PlacementFactory(person=other_street_person(), home=CareHomeFactory())
    client = client_for(clerk_user)
    url = reverse(url_name, args=[placement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"end_date": "2024-01-01"}).status_code == 404
    placement.refresh_from_db()
    assert placement.end_date is None


def test_person_section_is_a_fragment_for_htmx(client_for, clerk_user):
    placement = PlacementFactory()
    response = client_for(clerk_user).get(
        reverse("care_homes:person_section", args=[placement.person_id]), **HTMX
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="care-homes-section"')
    assert placement.home.name in content


def test_official_sees_no_person_section(client_for, official_user):
    assert (
        client_for(official_user)
        .get(reverse("care_homes:person_section", args=[PersonFactory().pk]))
        .status_code
        == 404
    )


def test_placement_list_is_scoped_and_filtered_by_home(client_for, clerk_user):
    home = CareHomeFactory(name="甲残疾人之家")
    PlacementFactory(home=home, person=PersonFactory(name="甲之家人员"))
    PlacementFactory(home=CareHomeFactory(name="乙残疾人之家"), person=PersonFactory(name="乙之家人员"))
    PlacementFactory(home=home, person=other_street_person(name="外街道人员"))
    assert_page_shows(
        client_for(clerk_user),
        reverse("care_homes:placement_list"),
        {"home": home.pk},
        shows=["甲之家人员"],
        hides=["乙之家人员", "外街道人员"],
    )


def test_placement_list_runs_a_bounded_number_of_queries(
    client_for, staff_user, django_assert_max_num_queries
):
    for _ in range(30):
        PlacementFactory()
    client = client_for(staff_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("care_homes:placement_list")).status_code == 200


def test_saved_placement_answers_the_section_with_a_notice(client_for, clerk_user):
    home = CareHomeFactory()
    content = place_in_the_section(client_for(clerk_user), home, "day_care", "2024-02-01")
    assert "已保存托养服务。" in content and home.name in content
