from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from registry.tests.factories import PersonFactory
from tests.access import Case, Kind


def _home(street):
    return {"pk": CareHomeFactory(street=street).pk}


def _home_pk(street):
    return {"home_pk": CareHomeFactory(street=street).pk}


def _project(street):
    return {"pk": AuxProjectFactory(home=CareHomeFactory(street=street)).pk}


def _person(street):
    return {"person_pk": PersonFactory(street=street).pk}


def _placement(street):
    """A placement is scoped by its person's street, not by the home's: the home is elsewhere."""
    return {"pk": PlacementFactory(person=PersonFactory(street=street), home=CareHomeFactory()).pk}


ACCESS_CASES = [
    Case("care_homes:home_list", Kind.PERSON_DATA),
    Case("care_homes:home_create", Kind.PERSON_DATA),
    Case("care_homes:home_detail", Kind.PERSON_DATA, kwargs_for=_home),
    Case("care_homes:home_update", Kind.PERSON_DATA, kwargs_for=_home),
    Case("care_homes:home_close", Kind.PERSON_DATA, kwargs_for=_home),
    # A plain visit of the projects fragment goes to the home's page.
    Case("care_homes:home_projects", Kind.PERSON_DATA, kwargs_for=_home, ok_status=302),
    Case("care_homes:project_create", Kind.PERSON_DATA, kwargs_for=_home_pk),
    Case("care_homes:project_update", Kind.PERSON_DATA, kwargs_for=_project),
    Case("care_homes:project_end", Kind.PERSON_DATA, kwargs_for=_project),
    Case("care_homes:placement_list", Kind.PERSON_DATA),
    Case("care_homes:person_section", Kind.PERSON_DATA, kwargs_for=_person),
    Case("care_homes:placement_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("care_homes:placement_update", Kind.PERSON_DATA, kwargs_for=_placement),
    Case("care_homes:placement_end", Kind.PERSON_DATA, kwargs_for=_placement),
    Case("care_homes_api:homes-list", Kind.PERSON_DATA),
    Case("care_homes_api:homes-detail", Kind.PERSON_DATA, kwargs_for=_home),
    Case("care_homes_api:placements-list", Kind.PERSON_DATA),
    Case("care_homes_api:placements-detail", Kind.PERSON_DATA, kwargs_for=_placement),
    Case("care_homes_api:projects-list", Kind.PERSON_DATA),
    Case("care_homes_api:projects-detail", Kind.PERSON_DATA, kwargs_for=_project),
]
