from rehab.tests.factories import RehabServiceFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

_service = pk_of(RehabServiceFactory, "person__street")


ACCESS_CASES = [
    Case("rehab:service_list", Kind.PERSON_DATA),
    Case("rehab:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("rehab:service_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("rehab:service_update", Kind.PERSON_DATA, kwargs_for=_service),
    Case("rehab_api:service-list", Kind.PERSON_DATA),
    Case("rehab_api:service-detail", Kind.PERSON_DATA, kwargs_for=_service),
]
