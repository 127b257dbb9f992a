from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

_home = pk_of(CareHomeFactory)
_home_pk = pk_of(CareHomeFactory, key="home_pk")
_project = pk_of(AuxProjectFactory, "home__street")
# A placement is scoped by its person's street, not by the home's: the home is elsewhere.
_placement = pk_of(PlacementFactory, "person__street")


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
    Case("care_homes:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("care_homes:placement_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("care_homes:placement_update", Kind.PERSON_DATA, kwargs_for=_placement),
    Case("care_homes:placement_end", Kind.PERSON_DATA, kwargs_for=_placement),
    Case("care_homes_api:homes-list", Kind.PERSON_DATA),
    Case("care_homes_api:homes-detail", Kind.PERSON_DATA, kwargs_for=_home),
    Case("care_homes_api:placements-list", Kind.PERSON_DATA),
    Case("care_homes_api:placements-detail", Kind.PERSON_DATA, kwargs_for=_placement),
    Case("care_homes_api:projects-list", Kind.PERSON_DATA),
    Case("care_homes_api:projects-detail", Kind.PERSON_DATA, kwargs_for=_project),
]
