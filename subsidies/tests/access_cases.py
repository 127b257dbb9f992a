from subsidies.tests.factories import GrantFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

_grant = pk_of(GrantFactory, "person__street")


ACCESS_CASES = [
    Case("subsidies:grant_list", Kind.PERSON_DATA),
    Case("subsidies:missing_list", Kind.PERSON_DATA),
    Case("subsidies:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("subsidies:grant_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("subsidies:grant_update", Kind.PERSON_DATA, kwargs_for=_grant),
    # POST only: a GET of one's own grant answers 405, another street's grant 404.
    Case("subsidies:grant_end", Kind.PERSON_DATA, kwargs_for=_grant, ok_status=405),
    Case("subsidies_api:grant-list", Kind.PERSON_DATA),
    Case("subsidies_api:grant-detail", Kind.PERSON_DATA, kwargs_for=_grant),
]
