from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory, PlacementFactory
from tests.access import PERSON_PK, Case, Kind, person_data, pk_of

_home = pk_of(CareHomeFactory)
_home_pk = pk_of(CareHomeFactory, key="home_pk")
_project = pk_of(AuxProjectFactory, "home__street")
# A placement is scoped by its person's street, not by the home's: the home is elsewhere.
_placement = pk_of(PlacementFactory, "person__street")


ACCESS_CASES = [
    *person_data("care_homes:home_list", "care_homes:home_create", "care_homes:placement_list"),
    *person_data(
        "care_homes:home_detail", "care_homes:home_update", "care_homes:home_close", kwargs_for=_home
    ),
    # A plain visit of the projects fragment goes to the home's page.
    Case("care_homes:home_projects", Kind.PERSON_DATA, kwargs_for=_home, ok_status=302),
    Case("care_homes:project_create", Kind.PERSON_DATA, kwargs_for=_home_pk),
    *person_data("care_homes:project_update", "care_homes:project_end", kwargs_for=_project),
    *person_data("care_homes:person_section", "care_homes:placement_create", kwargs_for=PERSON_PK),
    *person_data("care_homes:placement_update", "care_homes:placement_end", kwargs_for=_placement),
    *person_data(
        "care_homes_api:homes-list", "care_homes_api:placements-list", "care_homes_api:projects-list"
    ),
    *person_data("care_homes_api:homes-detail", kwargs_for=_home),
    *person_data("care_homes_api:placements-detail", kwargs_for=_placement),
    *person_data("care_homes_api:projects-detail", kwargs_for=_project),
]
