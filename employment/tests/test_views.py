"""Employment pages: scoping, masking, filters, htmx person section and forms, bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from employment.models import Employment, Training
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import (
    assert_form_refuses,
    assert_page_shows,
    assert_redirects_to_the_person,
    list_own_street_only,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def other_street_person(**kwargs):
    return PersonFactory(street=street("华侨路街道"), **kwargs)


def test_clerk_list_shows_only_his_street_with_masked_id_numbers(client_for, clerk_user):
    list_own_street_only(client_for(clerk_user), reverse("employment:training_list"), TrainingFactory)


def test_street_filter_is_offered_to_staff_only(client_for, clerk_user, staff_user):
    url = reverse("employment:employment_list")
    assert 'name="street"' in client_for(staff_user).get(url).content.decode()
    assert 'name="street"' not in client_for(clerk_user).get(url).content.decode()


def test_clerk_cannot_widen_his_list_with_a_street_parameter(client_for, clerk_user):
    other = street("华侨路街道")
    EmploymentFactory(person=other_street_person(name="外街道人员"))
    page = client_for(clerk_user).get(reverse("employment:employment_list"), {"street": other.pk})
    assert "外街道人员" not in page.content.decode()


def test_training_list_filters_by_year_and_kind(client_for, staff_user):
    TrainingFactory(
        person=PersonFactory(name="二三年就业技能"), start_date=dt.date(2023, 5, 1), end_date=None
    )
    TrainingFactory(
        person=PersonFactory(name="二四年就业技能"), start_date=dt.date(2024, 5, 1), end_date=None
    )
    TrainingFactory(
        person=PersonFactory(name="二三年创业"),
        kind="entrepreneurship",
        start_date=dt.date(2023, 6, 1),
        end_date=None,
    )
    assert_page_shows(
        client_for(staff_user),
        reverse("employment:training_list"),
        {"year": "2023", "kind": "employment"},
        shows=["二三年就业技能"],
        hides=["二四年就业技能", "二三年创业"],
    )


@freeze_time("2024-06-15")
def test_employment_list_filters_current_and_ended(client_for, staff_user):
    EmploymentFactory(person=PersonFactory(name="在职人员"), start_date=dt.date(2023, 1, 1))
    EmploymentFactory(
        person=PersonFactory(name="离职人员"), start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 1, 31)
    )
    client = client_for(staff_user)
    current = client.get(reverse("employment:employment_list"), {"active": "yes"}).content.decode()
    ended = client.get(reverse("employment:employment_list"), {"active": "no"}).content.decode()
    assert "在职人员" in current and "离职人员" not in current
    assert "离职人员" in ended and "在职人员" not in ended


def test_graduate_list_filters_graduates_without_a_job_on_31_december(client_for, staff_user):
    employed = GraduateFactory(person=PersonFactory(name="已就业毕业生", birth=dt.date(2000, 1, 1)))
    EmploymentFactory(person=employed.person, start_date=dt.date(2023, 9, 1))
    GraduateFactory(person=PersonFactory(name="未就业毕业生", birth=dt.date(2000, 2, 2)))
    page = client_for(staff_user).get(reverse("employment:graduate_list"), {"year": "2023", "employed": "no"})
    content = page.content.decode()
    assert "未就业毕业生" in content
    assert "已就业毕业生" not in content


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("employment:training_list", TrainingFactory),
        ("employment:employment_list", EmploymentFactory),
        ("employment:graduate_list", GraduateFactory),
        ("employment:index", TrainingFactory),
    ],
)
def test_list_pages_run_a_bounded_number_of_queries(
    url_name, factory, client_for, staff_user, django_assert_max_num_queries
):
    for _ in range(30):
        factory()
    client = client_for(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_export_link_carries_the_resource_and_the_filters(client_for, staff_user):
    page = client_for(staff_user).get(reverse("employment:training_list"), {"year": "2023"}).content.decode()
    export = reverse("imports:export")
    assert f'href="{export}?resource=training&amp;year=2023"' in page


def test_person_section_is_a_fragment_for_htmx_and_a_page_otherwise(client_for, clerk_user):
    training = TrainingFactory(name="中式面点制作培训班")
    client = client_for(clerk_user)
    url = reverse("employment:person_section", args=[training.person_id])

    fragment = client.get(url, **HTMX)
    page = client.get(url)

    assert fragment.content.decode().lstrip().startswith('<section id="employment-section"')
    assert "中式面点制作培训班" in fragment.content.decode()
    assert page.content.decode().lstrip().lower().startswith("<!doctype html>")
    assert "HX-Request" in fragment["Vary"]


def test_person_section_runs_a_bounded_number_of_queries(
    client_for, clerk_user, django_assert_max_num_queries
):
    person = PersonFactory()
    for year in range(2015, 2025):
        TrainingFactory(person=person, start_date=dt.date(year, 3, 1), end_date=None)
        EmploymentFactory(person=person, start_date=dt.date(year, 3, 1), end_date=dt.date(year, 12, 1))
        GraduateFactory(person=person, graduation_year=year)
    client = client_for(clerk_user)
    with django_assert_max_num_queries(13):  # +1: the access-log row
        client.get(reverse("employment:person_section", args=[person.pk]), **HTMX)


def test_clerk_adds_a_training_inline_and_gets_the_section_back(client_for, clerk_user):
    person = PersonFactory()
    response = client_for(clerk_user).post(
        reverse("employment:training_create", args=[person.pk]),
        {
            "name": "网络直播技能培训",
            "kind": "job",
            "start_date": "2024-04-08",
            "end_date": "2024-04-19",
            "completed": "on",
        },
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="employment-section"')
    assert "网络直播技能培训" in content
    training = Training.objects.get(person=person)
    assert training.history.get().history_user == clerk_user


def test_plain_form_post_redirects_to_the_persons_page(client_for, clerk_user):
    person = PersonFactory()
    response = client_for(clerk_user).post(
        reverse("employment:employment_create", args=[person.pk]),
        {"form": "quota", "employer": "南京银行股份有限公司", "start_date": "2024-04-08", "end_date": ""},
    )
    assert_redirects_to_the_person(response, person.pk)
    assert Employment.objects.filter(person=person, employer="南京银行股份有限公司").exists()


def test_invalid_form_shows_chinese_messages_and_writes_nothing(client_for, clerk_user):
    person = PersonFactory()
    response = client_for(clerk_user).post(
        reverse("employment:employment_create", args=[person.pk]),
        {"form": "quota", "start_date": "2024-04-08", "end_date": "2024-04-01"},
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in content
    assert "<form" in content
    assert not Employment.objects.exists()


def test_duplicate_record_shows_the_models_message_on_the_form(client_for, clerk_user):
    training = TrainingFactory()
    assert_form_refuses(
        client_for(clerk_user),
        reverse("employment:training_create", args=[training.person_id]),
        {"name": training.name, "kind": "job", "start_date": training.start_date.isoformat()},
        "该人员已有同名、同一开始日期的培训记录",
    )
    assert Training.objects.count() == 1


def test_clerk_ends_an_employment_through_the_form(client_for, clerk_user):
    employment = EmploymentFactory(start_date=dt.date(2022, 3, 1))
    response = client_for(clerk_user).post(
        reverse("employment:employment_end", args=[employment.pk]), {"end_date": "2024-05-31"}, **HTMX
    )
    employment.refresh_from_db()
    assert response.status_code == 200
    assert employment.end_date == dt.date(2024, 5, 31)


def test_end_form_requires_a_date(client_for, clerk_user):
    employment = EmploymentFactory()
    response = client_for(clerk_user).post(
        reverse("employment:employment_end", args=[employment.pk]), {"end_date": ""}
    )
    assert "必填项，不能为空" in response.content.decode()
    employment.refresh_from_db()
    assert employment.end_date is None


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("employment:person_section", lambda: {"person_pk": other_street_person().pk}),
        ("employment:training_create", lambda: {"person_pk": other_street_person().pk}),
        ("employment:training_update", lambda: {"pk": TrainingFactory(person=other_street_person()).pk}),
        ("employment:employment_end", lambda: {"pk": EmploymentFactory(person=other_street_person()).pk}),
        ("employment:graduate_update", lambda: {"pk": GraduateFactory(person=other_street_person()).pk}),
    ],
)
def test_clerk_gets_404_for_another_streets_person_or_record(url_name, make, client_for, clerk_user):
    client = client_for(clerk_user)
    url = reverse(url_name, kwargs=make())
    assert client.get(url).status_code == 404
    if url_name != "employment:person_section":  # the section itself is read-only (GET)
        assert client.post(url, {"end_date": "2024-01-01", "name": "x"}).status_code == 404


def test_clerk_cannot_end_another_streets_employment(client_for, clerk_user):
    employment = EmploymentFactory(person=other_street_person())
    client_for(clerk_user).post(
        reverse("employment:employment_end", args=[employment.pk]), {"end_date": "2024-01-01"}
    )
    employment.refresh_from_db()
    assert employment.end_date is None


def test_official_sees_no_person_section(client_for, official_user):
    person = PersonFactory()
    assert (
        client_for(official_user).get(reverse("employment:person_section", args=[person.pk])).status_code
        == 404
    )


def test_index_counts_this_years_figures_of_the_clerks_street(client_for, clerk_user):
    with freeze_time("2024-06-15"):
        TrainingFactory(start_date=dt.date(2024, 3, 1), end_date=None)
        TrainingFactory(person=other_street_person(), start_date=dt.date(2024, 3, 1), end_date=None)
        page = client_for(clerk_user).get(reverse("employment:index")).content.decode()
    assert "1 人" in page


def test_index_year_picker_shows_an_earlier_years_figures(client_for, clerk_user):
    # issue 14 §3: past the plan, last year's figures stay one choice away
    with freeze_time("2026-06-15"):
        TrainingFactory(start_date=dt.date(2025, 3, 1), end_date=None)
        client = client_for(clerk_user)
        this_year = client.get(reverse("employment:index"))
        last_year = client.get(reverse("employment:index"), {"year": "2025"})
        future = client.get(reverse("employment:index"), {"year": "2030"})

    assert this_year.context["overview"].trained_persons == 0
    assert 'data-testid="year-picker"' in this_year.content.decode()
    assert last_year.context["overview"].year == 2025
    assert last_year.context["overview"].trained_persons == 1
    assert "2025年参加职业技能培训" in last_year.content.decode()
    assert future.context["overview"].year == 2026


def test_add_form_opens_inside_the_section_for_htmx(client_for, clerk_user):
    person = PersonFactory()
    response = client_for(clerk_user).get(reverse("employment:training_create", args=[person.pk]), **HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="employment-section"')
    assert 'data-testid="section-form"' in content and "新增职业技能培训" in content
    assert "新增培训</a>" not in content  # the add buttons wait while a form is open
