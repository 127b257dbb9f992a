import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from core.idnumbers import make_id_number
from core.models import Community, Street
from registry.models import Person, PersonStatus
from registry.tests.factories import CommunityFactory, PersonFactory, SurveyFactory, new_person_values
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def _person(**kwargs):
    return Person(**new_person_values(**kwargs))


def test_sex_birth_date_and_certificate_number_are_derived_on_clean():
    person = _person()
    person.full_clean(exclude=["sex", "birth_date"])
    assert person.birth_date == dt.date(1980, 5, 6)
    assert person.sex == "F"  # sequence 012: 17th digit 2
    assert person.certificate_number == person.id_number + "42"


def test_certificate_number_that_disagrees_with_category_is_rejected():
    person = _person(certificate_number=make_id_number("320106", dt.date(1980, 5, 6), 12) + "12")
    with pytest.raises(ValidationError) as exc:
        person.full_clean(exclude=["sex", "birth_date"])
    assert "不一致" in exc.value.message_dict["certificate_number"][0]


def test_certificate_number_of_wrong_length_is_rejected():
    person = _person(certificate_number="123")
    with pytest.raises(ValidationError) as exc:
        person.full_clean(exclude=["sex", "birth_date"])
    assert "20位" in exc.value.message_dict["certificate_number"][0]


def test_issue_date_before_birth_is_rejected():
    person = _person(issued_on=dt.date(1979, 1, 1))
    with refused("issued_on", "发证日期不能早于出生日期"):
        person.full_clean(exclude=["sex", "birth_date"])


@freeze_time("2026-11-28")
def test_issue_date_in_the_future_is_rejected():
    person = _person(issued_on=dt.date(2026, 11, 29))
    with refused("issued_on", "发证日期不能晚于今天"):
        person.full_clean(exclude=["sex", "birth_date"])


def test_inactive_status_needs_a_date():
    person = _person(status=PersonStatus.DECEASED)
    with pytest.raises(ValidationError) as exc:
        person.full_clean(exclude=["sex", "birth_date"])
    assert "状态变更日期" in exc.value.message_dict["status_changed_on"][0]


def test_status_date_before_the_certificate_is_rejected():
    person = _person(status=PersonStatus.MOVED_OUT, status_changed_on=dt.date(2009, 1, 1))
    with refused("status_changed_on", "状态变更日期不能早于发证日期"):
        person.full_clean(exclude=["sex", "birth_date"])


def test_active_status_clears_the_status_date():
    person = _person(status=PersonStatus.ACTIVE, status_changed_on=dt.date(2020, 1, 1))
    person.full_clean(exclude=["sex", "birth_date"])
    assert person.status_changed_on is None


def test_community_of_another_street_is_rejected():
    other = Community.objects.create(street=Street.objects.get(name="华侨路街道"), name="五台山社区")
    person = _person(community=other)
    with refused("community", "所属社区不属于所选街道"):
        person.full_clean(exclude=["sex", "birth_date"])


def test_invalid_phone_is_rejected_and_valid_forms_pass():
    with pytest.raises(ValidationError) as exc:
        _person(phone="12345").full_clean(exclude=["sex", "birth_date"])
    assert "联系电话" in exc.value.message_dict["phone"][0]
    for phone in ("13912345678", "025-83456789", "83456789"):
        _person(phone=phone).full_clean(exclude=["sex", "birth_date"])


def test_database_refuses_inactive_person_without_status_date():
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(status=PersonStatus.ACTIVE)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(status=PersonStatus.DECEASED)


class TestRegistryPopulation:
    """P(Y): issued on or before R(Y), and not gone (注销/死亡/迁出) on or before R(Y)."""

    def test_death_on_31_december_excludes_the_person_for_that_year(self):
        person = PersonFactory(status=PersonStatus.DECEASED, status_changed_on=dt.date(2023, 12, 31))
        assert person not in Person.objects.in_registry_on(dt.date(2023, 12, 31))
        assert person in Person.objects.in_registry_on(dt.date(2023, 12, 30))

    def test_certificate_issued_on_31_december_is_included(self):
        person = PersonFactory(issued_on=dt.date(2023, 12, 31))
        assert person in Person.objects.in_registry_on(dt.date(2023, 12, 31))
        assert person not in Person.objects.in_registry_on(dt.date(2023, 12, 30))

    def test_moved_out_after_the_reference_date_still_counts(self):
        person = PersonFactory(status=PersonStatus.MOVED_OUT, status_changed_on=dt.date(2024, 1, 1))
        assert person in Person.objects.in_registry_on(dt.date(2023, 12, 31))

    def test_cancelled_person_is_out_after_cancellation(self):
        person = PersonFactory(status=PersonStatus.CANCELLED, status_changed_on=dt.date(2022, 6, 1))
        assert person not in Person.objects.in_registry_on(dt.date(2022, 12, 31))


def test_masked_id_number_hides_birth_date():
    person = PersonFactory(birth=dt.date(1975, 3, 4))
    assert person.masked_id_number == person.id_number[:6] + "********" + person.id_number[-4:]
    assert "19750304" not in person.masked_id_number


@freeze_time("2026-11-28")
def test_age_is_in_completed_years():
    assert PersonFactory(birth=dt.date(2010, 11, 29)).age == 15
    assert PersonFactory(birth=dt.date(2010, 11, 28)).age == 16


def test_survey_rejects_second_survey_of_the_same_year_in_chinese():
    survey = SurveyFactory(year=2023)
    from registry.models import Survey

    duplicate = Survey(person=survey.person, year=2023)
    with refused("year", "该人员2023年度的调查已存在"):
        duplicate.full_clean()


def test_survey_household_size_out_of_range_is_rejected():
    from registry.models import Survey

    survey = Survey(person=PersonFactory(), year=2023, household_size=21)
    with pytest.raises(ValidationError) as exc:
        survey.full_clean()
    assert "household_size" in exc.value.message_dict


def test_community_and_street_scoping(clerk_user, staff_user, official_user):
    CommunityFactory(street=Street.objects.get(name="华侨路街道"))
    own = CommunityFactory()
    assert list(Community.objects.for_user(clerk_user)) == [own]
    assert Community.objects.for_user(staff_user).count() == 2
    assert not Community.objects.for_user(official_user).exists()
    assert list(Street.objects.for_user(clerk_user)) == [Street.objects.get(name="宁海路街道")]
    assert Street.objects.by_name("宁海路") == Street.objects.get(name="宁海路街道")
