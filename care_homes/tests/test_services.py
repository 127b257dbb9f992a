"""Services: validation against the home's dates, closing a home ends what runs there, history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from care_homes import services
from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def test_care_home_create_records_the_acting_user(staff_user):
    home = services.care_home_create(
        acting_user=staff_user,
        name="鼓楼区残疾人托养中心",
        level="district",
        street=street("江东街道"),
        opened_on=dt.date(2012, 10, 1),
        rating="5A",
    )
    assert home.history.get().history_user == staff_user


def test_closing_a_home_ends_running_placements_and_projects_the_day_before(staff_user):
    # given a home with a running placement, an ended one, and a running project
    home = CareHomeFactory(opened_on=dt.date(2018, 1, 1))
    running = PlacementFactory(home=home, start_date=dt.date(2021, 1, 1))
    ended = PlacementFactory(home=home, start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 5, 31))
    project = AuxProjectFactory(home=home, start_date=dt.date(2019, 3, 1))
    # when the home closes on 1 July 2022
    _, placements, projects = services.care_home_close(
        acting_user=staff_user, home=home, closed_on=dt.date(2022, 7, 1)
    )
    # then what ran there ends on 30 June, recorded as the staff member's change
    running.refresh_from_db()
    ended.refresh_from_db()
    project.refresh_from_db()
    assert (placements, projects) == (1, 1)
    assert running.end_date == dt.date(2022, 6, 30)
    assert ended.end_date == dt.date(2021, 5, 31)
    assert project.end_date == dt.date(2022, 6, 30)
    assert running.history.latest().history_user == staff_user
    assert home not in CareHome.objects.operating_on(dt.date(2022, 7, 1))


def test_setting_a_closing_date_by_update_ends_running_records_too(staff_user):
    home = CareHomeFactory(opened_on=dt.date(2018, 1, 1))
    running = PlacementFactory(home=home, start_date=dt.date(2021, 1, 1))
    home.closed_on = dt.date(2023, 3, 1)  # as a ModelForm would have set it before the service runs
    services.care_home_update(acting_user=staff_user, home=home, closed_on=dt.date(2023, 3, 1))
    running.refresh_from_db()
    assert running.end_date == dt.date(2023, 2, 28)


def test_closing_before_opening_is_refused(staff_user):
    home = CareHomeFactory(opened_on=dt.date(2018, 1, 1))
    with pytest.raises(ValidationError):
        services.care_home_close(acting_user=staff_user, home=home, closed_on=dt.date(2017, 1, 1))
    home.refresh_from_db()
    assert home.closed_on is None


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (dt.date(2017, 12, 31), "开始日期早于该机构的启用日期（2018-01-01）"),
        (dt.date(2022, 6, 30), "该机构已于2022-06-30停用，不能在此后开始"),
    ],
)
def test_placement_must_start_while_the_home_operates(start, message, clerk_user):
    home = CareHomeFactory(opened_on=dt.date(2018, 1, 1), closed_on=dt.date(2022, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            acting_user=clerk_user, person=PersonFactory(), home=home, mode="day_care", start_date=start
        )
    assert exc.value.message_dict["start_date"] == [message]
    assert not Placement.objects.exists()


def test_clerk_may_place_his_person_in_another_streets_home(clerk_user):
    district_home = CareHomeFactory(street=street("江东街道"), level="district", is_disabled_home=False)
    placement = services.placement_create(
        acting_user=clerk_user,
        person=PersonFactory(),
        home=district_home,
        mode="residential",
        start_date=dt.date(2024, 2, 1),
    )
    assert placement.history.get().history_user == clerk_user


def test_placement_end_and_update(clerk_user):
    placement = PlacementFactory(start_date=dt.date(2022, 5, 1))
    services.placement_update(acting_user=clerk_user, placement=placement, mode="residential")
    services.placement_end(acting_user=clerk_user, placement=placement, end_date=dt.date(2024, 4, 30))
    placement.refresh_from_db()
    assert (placement.mode, placement.end_date) == ("residential", dt.date(2024, 4, 30))
    assert placement.history.count() == 3


def test_placement_end_before_start_is_refused(clerk_user):
    placement = PlacementFactory(start_date=dt.date(2022, 5, 1))
    with refused("end_date", "结束日期不能早于开始日期"):
        services.placement_end(acting_user=clerk_user, placement=placement, end_date=dt.date(2022, 4, 30))


def test_project_create_update_end_with_history(clerk_user):
    home = CareHomeFactory()
    project = services.aux_project_create(
        acting_user=clerk_user, home=home, name="爱心烘焙坊", start_date=dt.date(2023, 4, 1), participants=12
    )
    services.aux_project_update(acting_user=clerk_user, project=project, participants=15)
    services.aux_project_end(acting_user=clerk_user, project=project, end_date=dt.date(2024, 12, 31))
    project.refresh_from_db()
    assert (project.participants, project.end_date) == (15, dt.date(2024, 12, 31))
    assert [h.history_user for h in project.history.all()] == [clerk_user] * 3
    assert AuxProject.objects.active_in(2024).filter(pk=project.pk).exists()
