"""Care homes, placements and projects: predicates and constraints at their boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from registry.tests.factories import PersonFactory, street
from tests.assertions import assert_active_in, refused

pytestmark = pytest.mark.django_db


def test_home_does_not_operate_on_its_closing_day():
    home = CareHomeFactory(opened_on=dt.date(2018, 1, 1), closed_on=dt.date(2022, 6, 30))
    assert home in CareHome.objects.operating_on(dt.date(2022, 6, 29))
    assert home not in CareHome.objects.operating_on(dt.date(2022, 6, 30))
    assert not home.is_operating_on(dt.date(2022, 6, 30))
    assert home.is_operating_on(dt.date(2022, 6, 29))


def test_home_operates_from_its_opening_day():
    home = CareHomeFactory(opened_on=dt.date(2023, 12, 31))
    assert home in CareHome.objects.operating_on(dt.date(2023, 12, 31))
    assert home not in CareHome.objects.operating_on(dt.date(2023, 12, 30))
    assert home in CareHome.objects.not_operating_on(dt.date(2023, 12, 30))


def test_closing_before_opening_is_refused_with_a_chinese_message():
    home = CareHomeFactory.build(
        street=street(), opened_on=dt.date(2020, 1, 1), closed_on=dt.date(2019, 12, 31)
    )
    with refused("closed_on", "停用日期不能早于启用日期"):
        home.full_clean()


def test_placement_ending_on_1_january_is_active_in_that_year():
    placement = PlacementFactory(start_date=dt.date(2021, 3, 1), end_date=dt.date(2023, 1, 1))
    assert_active_in(placement, 2023, not_in=2024)


@pytest.mark.parametrize(("end", "active"), [(dt.date(2023, 12, 31), True), (dt.date(2023, 12, 30), False)])
def test_placement_active_on_31_december(end, active):
    placement = PlacementFactory(start_date=dt.date(2023, 1, 1), end_date=end)
    assert Placement.objects.active_on(dt.date(2023, 12, 31)).filter(pk=placement.pk).exists() is active


def test_placement_is_scoped_by_its_persons_street_not_the_homes(clerk_user, other_clerk_user):
    # given a person of 华侨路 placed in a 宁海路 home
    placement = PlacementFactory(person=PersonFactory(street=street("华侨路街道")), home=CareHomeFactory())
    # then the 华侨路 clerk sees the placement and the 宁海路 clerk does not
    assert list(Placement.objects.for_user(other_clerk_user)) == [placement]
    assert not Placement.objects.for_user(clerk_user).exists()


def test_project_is_scoped_by_its_homes_street(clerk_user):
    own = AuxProjectFactory()
    AuxProjectFactory(home=CareHomeFactory(street=street("华侨路街道")))
    assert list(AuxProject.objects.for_user(clerk_user)) == [own]


def test_home_has_project_when_one_is_active_in_the_year():
    with_project = CareHomeFactory()
    AuxProjectFactory(home=with_project, start_date=dt.date(2020, 3, 1), end_date=dt.date(2021, 1, 1))
    without = CareHomeFactory()
    AuxProjectFactory(home=without, start_date=dt.date(2020, 3, 1), end_date=dt.date(2020, 12, 31))
    flags = dict(CareHome.objects.with_project_active_in(2021).values_list("pk", "has_project"))
    assert flags == {with_project.pk: True, without.pk: False}


@freeze_time("2024-06-15")
def test_current_counts_count_records_active_today():
    home = CareHomeFactory()
    PlacementFactory(home=home, start_date=dt.date(2024, 1, 1))
    PlacementFactory(home=home, start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 6, 15))
    PlacementFactory(home=home, start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 6, 14))
    AuxProjectFactory(home=home)
    counted = CareHome.objects.with_current_counts().get()
    assert (counted.placements_now, counted.projects_now) == (2, 1)


def test_same_project_name_twice_at_a_home_is_refused():
    project = AuxProjectFactory()
    duplicate = AuxProject(home=project.home, name=project.name, start_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "该托养机构已有同名的辅助性就业项目" in exc.value.messages
