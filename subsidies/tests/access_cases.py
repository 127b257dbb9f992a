from subsidies.tests.factories import GrantFactory
from tests.access import PERSON_PK, Case, Kind, person_data, pk_of

_grant = pk_of(GrantFactory, "person__street")


ACCESS_CASES = [
    *person_data("subsidies:grant_list", "subsidies:missing_list", "subsidies_api:grant-list"),
    *person_data("subsidies:person_section", "subsidies:grant_create", kwargs_for=PERSON_PK),
    *person_data("subsidies:grant_update", "subsidies_api:grant-detail", kwargs_for=_grant),
    # POST only: a GET of one's own grant answers 405, another street's grant 404.
    Case("subsidies:grant_end", Kind.PERSON_DATA, kwargs_for=_grant, ok_status=405),
]
