"""A record of every person domain, for the tests that walk them all (community scoping, the API
contract); the records are the indicators' factories', which every domain's figures count."""

from indicators.tests.factories import (
    CareHomeFactory,
    EmploymentFactory,
    GraduateFactory,
    GrantFactory,
    PlacementFactory,
    RehabServiceFactory,
    SurveyFactory,
    TrainingFactory,
)


def give_a_record_of_every_domain(person, *, home=None) -> None:
    """A 2023 survey, a grant, a rehabilitation service, a training, an employment, a graduation and
    a placement in `home` (a new care home of 宁海路街道 if None) for `person`."""
    SurveyFactory(person=person, year=2023)
    GrantFactory(person=person)
    RehabServiceFactory(person=person)
    TrainingFactory(person=person)
    EmploymentFactory(person=person)
    GraduateFactory(person=person)
    PlacementFactory(person=person, home=home or CareHomeFactory())
