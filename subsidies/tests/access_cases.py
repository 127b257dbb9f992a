from registry.tests.factories import PersonFactory
from subsidies.tests.factories import GrantFactory
from tests.access import Case, Kind


def _person(street):
    return {"person_pk": PersonFactory(street=street).pk}


def _grant(street):
    return {"pk": GrantFactory(person__street=street).pk}


ACCESS_CASES = [
    Case("subsidies:grant_list", Kind.PERSON_DATA),
    Case("subsidies:missing_list", Kind.PERSON_DATA),
    Case("subsidies:person_section", Kind.PERSON_DATA, kwargs_for=_person),
    Case("subsidies:grant_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("subsidies:grant_update", Kind.PERSON_DATA, kwargs_for=_grant),
    # POST only: a GET of one's own grant answers 405, another street's grant 404.
    Case("subsidies:grant_end", Kind.PERSON_DATA, kwargs_for=_grant, ok_status=405),
    Case("subsidies_api:grant-list", Kind.PERSON_DATA),
    Case("subsidies_api:grant-detail", Kind.PERSON_DATA, kwargs_for=_grant),
]
