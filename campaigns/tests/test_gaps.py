"""The two gap lists that follow from the new survey questions."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.selectors import gap_persons
from employment.tests.factories import EmploymentFactory, TrainingFactory
from registry.tests.factories import PersonFactory, SurveyFactory
from rehab.tests.factories import RehabServiceFactory

# R(2026) is today, 2026-06-15: ages are counted on that day.
pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2026-06-15")]


def names(user, kind):
    return set(gap_persons(user=user, kind=kind, year=2026).values_list("name", flat=True))


def child(name, birth, **survey):
    person = PersonFactory(name=name, birth=birth, issued_on=dt.date(2020, 1, 1))
    SurveyFactory(person=person, year=2026, **survey)
    return person


def test_children_aged_15_to_17_in_poor_or_flagged_households_without_child_rehab(staff_user):
    child("满15岁今天", dt.date(2011, 6, 15), low_income_type="dibao")
    child("差一天满15岁", dt.date(2011, 6, 16), low_income_type="dibao")
    child("17岁最后一天", dt.date(2008, 6, 16), low_income_type="dibao_edge")
    child("今天满18岁", dt.date(2008, 6, 15), low_income_type="dibao")
    child("一户多残", dt.date(2010, 1, 1), multi_disabled_household=True)
    child("依老养残", dt.date(2010, 1, 1), elderly_carer_household=True)
    child("特困不在此列", dt.date(2010, 1, 1), low_income_type="tekun")
    child("普通家庭", dt.date(2010, 1, 1))
    treated = child("已获救助", dt.date(2010, 1, 1), low_income_type="dibao")
    RehabServiceFactory(person=treated, kind="child", service_date=dt.date(2026, 3, 1))
    last_year = child("去年获救助", dt.date(2010, 1, 1), low_income_type="dibao")
    RehabServiceFactory(person=last_year, kind="child", service_date=dt.date(2025, 3, 1))
    other_kind = child("其他康复", dt.date(2010, 1, 1), low_income_type="dibao")
    RehabServiceFactory(person=other_kind, kind="basic", service_date=dt.date(2026, 3, 1))

    assert names(staff_user, "children") == {
        "满15岁今天",
        "17岁最后一天",
        "一户多残",
        "依老养残",
        "去年获救助",
        "其他康复",
    }


def test_a_household_flagged_on_another_members_survey_counts(staff_user):
    parent = PersonFactory(name="家长", birth=dt.date(1945, 1, 1))
    SurveyFactory(person=parent, year=2026, household_key="H-7", elderly_carer_household=True)
    child("同户少年", dt.date(2010, 1, 1), household_key="H-7")
    child("别户少年", dt.date(2010, 1, 1), household_key="H-8")
    assert names(staff_user, "children") == {"同户少年"}


def test_unemployed_who_want_work_without_training_or_placement_this_year(staff_user):
    def adult(name, **survey):
        person = PersonFactory(name=name)
        SurveyFactory(person=person, year=2026, **survey)
        return person

    adult("待就业", employment_status="unemployed", wants_work="yes")
    adult("无意愿", employment_status="unemployed", wants_work="no")
    adult("已就业", employment_status="employed", wants_work="yes")
    trained = adult("已培训", employment_status="unemployed", wants_work="yes")
    TrainingFactory(person=trained, start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 4, 10))
    placed = adult("已安置", employment_status="unemployed", wants_work="yes")
    EmploymentFactory(person=placed, start_date=dt.date(2026, 5, 1))
    old_training = adult("去年培训", employment_status="unemployed", wants_work="yes")
    TrainingFactory(person=old_training, start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 4, 10))
    last_year_only = PersonFactory(name="仅去年调查")
    SurveyFactory(person=last_year_only, year=2025, employment_status="unemployed", wants_work="yes")

    assert names(staff_user, "work") == {"待就业", "去年培训"}


def test_gap_lists_are_scoped_like_every_person_list(clerk_user, worker_user, other_community):
    child("邻社区少年", dt.date(2010, 1, 1), low_income_type="dibao")
    neighbour = PersonFactory(name="邻社区待就业", community=other_community)
    SurveyFactory(person=neighbour, year=2026, employment_status="unemployed", wants_work="yes")
    assert "邻社区待就业" in names(clerk_user, "work")
    assert names(worker_user, "work") == set() and names(worker_user, "children") == set()


@pytest.mark.parametrize("year", [1800, 2014, 2027])
def test_a_gap_list_of_a_year_without_surveys_says_which_years_there_are(client_for, staff_user, year):
    response = client_for(staff_user).get(reverse("campaigns:gap_children"), {"year": year})
    assert response.status_code == 404
    message = f"没有{year}年度的调查：调查年度应在2015年到2026年之间"
    assert message in response.content.decode()
