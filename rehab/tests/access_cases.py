from registry.tests.factories import PersonFactory
from rehab.tests.factories import RehabServiceFactory
from tests.access import Case, Kind


def _person(street):
    return {"person_pk": PersonFactory(street=street).pk}


def _service(street):
    return {"pk": RehabServiceFactory(person__street=street).pk}


ACCESS_CASES = [
    Case("rehab:service_list", Kind.PERSON_DATA),
    Case("rehab:person_section", Kind.PERSON_DATA, kwargs_for=_person),
    Case("rehab:service_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("rehab:service_update", Kind.PERSON_DATA, kwargs_for=_service),
    Case("rehab_api:service-list", Kind.PERSON_DATA),
    Case("rehab_api:service-detail", Kind.PERSON_DATA, kwargs_for=_service),
]
