import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.idnumbers import make_id_number
from core.models import Street
from registry import services
from registry.models import Person, PersonStatus
from registry.tests.factories import PersonFactory, SurveyFactory, new_person_values
from tests.assertions import refused

pytestmark = pytest.mark.django_db


def _register(user, **kwargs):
    """A person of category 1, grade 3 (certificate number suffix 13) registered by `user`."""
    values = new_person_values(**{"category": "1", "grade": "3", **kwargs})
    return services.person_register(acting_user=user, **values)


def test_register_records_history_with_the_acting_user(clerk_user):
    person = _register(clerk_user)
    record = person.history.get()
    assert record.history_type == "+"
    assert record.history_user == clerk_user
    assert person.certificate_number == person.id_number + "13"


def test_register_normalizes_lowercase_and_full_width_id_number(staff_user):
    id_number = make_id_number("320106", dt.date(1985, 2, 3), 21)
    typed = (
        id_number[:6]
        + " "
        + "".join(chr(0xFF10 + int(c)) if c.isdigit() else c.lower() for c in id_number[6:])
    )
    person = _register(staff_user, id_number=typed)
    assert person.id_number == id_number


def test_clerk_cannot_register_in_another_street(clerk_user):
    with refused("street", "无权操作其他街道的记录"):
        _register(clerk_user, street=Street.objects.get(name="华侨路街道"))
    assert not Person.objects.exists()


def test_official_cannot_write(official_user):
    with pytest.raises(ValidationError):
        _register(official_user)


def test_update_keeps_before_and_after_in_history(clerk_user):
    person = _register(clerk_user, phone="13900000000")
    services.person_update(acting_user=clerk_user, person=person, phone="13911112222")
    latest = person.history.first()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "13900000000", "13911112222")]
    assert latest.history_user == clerk_user


def test_update_of_grade_derives_the_certificate_number_again(staff_user):
    person = _register(staff_user)
    services.person_update(acting_user=staff_user, person=person, grade="1")
    person.refresh_from_db()
    assert person.certificate_number == person.id_number + "11"


def test_clerk_cannot_move_a_person_to_another_street(clerk_user):
    person = _register(clerk_user)
    with pytest.raises(ValidationError):
        services.person_update(
            acting_user=clerk_user, person=person, street=Street.objects.get(name="华侨路街道")
        )
    person.refresh_from_db()
    assert person.street.name == "宁海路街道"


def test_clerk_cannot_update_person_of_another_street(clerk_user):
    person = PersonFactory(street=Street.objects.get(name="华侨路街道"))
    with pytest.raises(ValidationError):
        services.person_update(acting_user=clerk_user, person=person, phone="13911112222")


def test_status_change_and_back_to_active(clerk_user):
    person = _register(clerk_user)
    services.person_change_status(
        acting_user=clerk_user, person=person, status=PersonStatus.DECEASED, changed_on=dt.date(2024, 3, 1)
    )
    person.refresh_from_db()
    assert (person.status, person.status_changed_on) == (PersonStatus.DECEASED, dt.date(2024, 3, 1))
    services.person_change_status(acting_user=clerk_user, person=person, status=PersonStatus.ACTIVE)
    person.refresh_from_db()
    assert (person.status, person.status_changed_on) == (PersonStatus.ACTIVE, None)
    assert person.history.count() == 3


def test_status_change_without_date_is_rejected(clerk_user):
    person = _register(clerk_user)
    with pytest.raises(ValidationError) as exc:
        services.person_change_status(acting_user=clerk_user, person=person, status=PersonStatus.MOVED_OUT)
    assert "status_changed_on" in exc.value.message_dict


def test_survey_create_and_update_record_history(clerk_user):
    person = _register(clerk_user)
    survey = services.survey_create(
        acting_user=clerk_user, person=person, year=2024, household_size=3, household_income="36000.50"
    )
    services.survey_update(acting_user=clerk_user, survey=survey, needs_rehab=True)
    assert [r.history_type for r in survey.history.order_by("history_id")] == ["+", "~"]
    assert survey.history.first().history_user == clerk_user


def test_survey_of_another_street_cannot_be_updated_by_clerk(clerk_user):
    survey = SurveyFactory(person=PersonFactory(street=Street.objects.get(name="华侨路街道")))
    with pytest.raises(ValidationError):
        services.survey_update(acting_user=clerk_user, survey=survey, needs_rehab=True)


def test_bulk_create_and_update_with_history_record_every_person(staff_user):
    """The import engineer writes persons in bulk: simple_history must still keep who and what."""
    street = Street.objects.get(name="宁海路街道")
    persons = [
        Person(
            id_number=make_id_number("320106", dt.date(1970, 1, 1), n),
            name=f"批量{n}",
            category="4",
            grade="3",
            issued_on=dt.date(2015, 1, 1),
            street=street,
        )
        for n in range(5)
    ]
    for person in persons:
        person.derive_fields()
    created = bulk_create_with_history(persons, Person, default_user=staff_user)
    assert Person.history.filter(history_type="+", history_user=staff_user).count() == 5

    saved = list(Person.objects.filter(pk__in=[p.pk for p in created]))
    for person in saved:
        person.phone = "13800000000"
    bulk_update_with_history(saved, Person, ["phone"], default_user=staff_user)
    changed = Person.history.filter(history_type="~")
    assert changed.count() == 5
    assert set(changed.values_list("phone", flat=True)) == {"13800000000"}
