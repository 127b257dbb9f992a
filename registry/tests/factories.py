"""factory_boy factories for the registry; domain apps build on PersonFactory."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.idnumbers import make_id_number
from core.models import Community, Street, UserProfile
from core.roles import Role
from registry import demo
from registry.models import Person, Survey

NANJING_GULOU = "320106"


def street(name: str = "宁海路街道") -> Street:
    return Street.objects.get(name=name)


class StreetRecordFactory(factory.django.DjangoModelFactory):
    """A record that belongs to a street: 宁海路街道 unless given `street=`."""

    class Meta:
        abstract = True

    street = factory.LazyFunction(street)


class PersonFactory(StreetRecordFactory):
    """A valid person; pass `birth=date(...)` to control age (the ID number carries the birth date)."""

    class Meta:
        model = Person

    class Params:
        birth = dt.date(1980, 1, 1)

    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number(NANJING_GULOU, o.birth, n))
    name = factory.Sequence(lambda n: f"测试人员{n}")
    category = "4"
    grade = "2"
    issued_on = dt.date(2015, 6, 1)


class PersonRecordFactory(factory.django.DjangoModelFactory):
    """A domain record of a person: a new PersonFactory person unless given `person=`."""

    class Meta:
        abstract = True

    person = factory.SubFactory(PersonFactory)


def new_person_values(**overrides) -> dict:
    """A valid new person (张三 of 宁海路街道, born 1980-05-06) as the model and the services take him;
    override any field."""
    values = {
        "id_number": make_id_number(NANJING_GULOU, dt.date(1980, 5, 6), 12),
        "name": "张三",
        "category": "4",
        "grade": "2",
        "issued_on": dt.date(2010, 1, 1),
        "street": street(),
    }
    return {**values, **overrides}


def person_form_data(**overrides) -> dict:
    """A valid post of the new-person form (王五 of 宁海路街道, born 1990-07-08); override any field."""
    data = {
        "name": "王五",
        "id_number": make_id_number("320106", dt.date(1990, 7, 8), 33),
        "certificate_number": "",
        "category": "4",
        "grade": "3",
        "issued_on": "2018-04-05",
        "community": "",
        "address": "南京市鼓楼区宁海路1号",
        "phone": "13912345678",
    }
    return {**data, **overrides}


def person_edit_data(person: Person, **overrides) -> dict:
    """A post of `person`'s edit form with what he has on record, and `overrides`."""
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "certificate_number": person.certificate_number,
        "category": person.category,
        "grade": person.grade,
        "issued_on": person.issued_on.isoformat(),
        "street": person.street_id,
    }
    return {**data, **overrides}


class CommunityFactory(StreetRecordFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"测试社区{n}")


class SurveyFactory(PersonRecordFactory):
    class Meta:
        model = Survey

    year = 2023


def make_user(
    username: str,
    role: Role | None,
    street_name: str | None = None,
    password: str = "Gulou-test-2025",
    *,
    community: Community | None = None,
):
    """A user in one of the role groups; a clerk gets his street on the profile, a community worker
    his community (and its street)."""
    user = get_user_model().objects.create_user(username=username, password=password)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.label))
    if community is not None:
        UserProfile.objects.create(user=user, street=community.street, community=community)
    elif street_name is not None:
        UserProfile.objects.create(user=user, street=Street.objects.get(name=street_name))
    return user


def generate_registry(persons: int, seed: int = 7) -> None:
    """A registry of `persons` with 2019–2025 surveys from the registry's demo generator (demo tests)."""
    generator = demo.DemoGenerator(seed=seed, chunk_size=1000)
    streets, _ = generator.ensure_communities()
    for chunk in generator.persons(persons, streets):
        demo.write_rows(Person, demo.PERSON_COLUMNS, chunk)
        demo.write_rows(Survey, demo.SURVEY_COLUMNS, generator.surveys(chunk))
    demo.reset_sequences()
