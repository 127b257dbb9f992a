from rehab.tests.factories import RehabServiceFactory
from tests.access import PERSON_PK, person_data, pk_of

_service = pk_of(RehabServiceFactory, "person__street")


ACCESS_CASES = [
    *person_data("rehab:service_list", "rehab_api:service-list"),
    *person_data("rehab:person_section", "rehab:service_create", kwargs_for=PERSON_PK),
    *person_data("rehab:service_update", "rehab_api:service-detail", kwargs_for=_service),
]
