"""The access matrix's vocabulary: each app lists its URLs in `<app>/tests/access_cases.py`.

    from tests.access import Case, Kind
    ACCESS_CASES = [
        Case("registry:person_list", Kind.PERSON_DATA),
        Case("registry:person_detail", Kind.PERSON_DATA, kwargs_for=lambda street: {"pk": PersonFactory(street=street).pk}),
    ]

`kwargs_for(street)` builds an object belonging to `street` and returns the URL kwargs that address it;
`pk_of(factory, "person__street")` makes one with a factory (`PERSON_PK` is a person's page's);
`person_data(*url_names, kwargs_for=...)` lists the PERSON_DATA URLs that address the same object.
The matrix (tests/test_access_matrix.py) calls it for the clerk's own street and for another street,
and checks every role, plus anonymous, against the expectations of the case's kind:

| kind           | anonymous      | official | clerk own / other street | staff, admin |
|----------------|----------------|----------|--------------------------|--------------|
| PERSON_DATA    | login / 401-403| 404/403  | ok / 404                 | ok           |
| AGGREGATE      | login / 401-403| ok       | ok                       | ok           |
| STAFF          | login / 401-403| 404/403  | 404/403                  | ok           |
| ADMIN          | login          | login/403/404 | login/403/404       | staff: login/403/404, admin ok |
| PUBLIC         | ok             | ok       | ok                       | ok           |

The community worker of 宁海路社区 (test_access_matrix_community_worker) is checked against the same
kinds: PERSON_DATA is ok for his community's object and 404 for another community of the same street
(the persons kwargs_for created are moved into that community) and for another street; a PERSON_DATA
URL of a domain closed to him (core.roles.COMMUNITY_WORKER_FORBIDDEN_DOMAINS: grants, care homes,
imports, payment rolls) answers 403 whatever the object; AGGREGATE ok; STAFF and ADMIN denied.

`ok` is `ok_status` (default 200; use 405 for POST-only URLs, 302 for redirects). A URL whose
objects are not street-scoped (e.g. a list) leaves kwargs_for None. Admin and schema URLs are
covered by pattern in the matrix itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from registry.tests.factories import PersonFactory


class Kind(Enum):
    PERSON_DATA = "person_data"
    AGGREGATE = "aggregate"
    STAFF = "staff"
    ADMIN = "admin"
    PUBLIC = "public"


@dataclass(frozen=True)
class Case:
    url_name: str
    kind: Kind
    kwargs_for: Callable | None = None
    ok_status: int = 200
    query: str = ""


def pk_of(factory, street_field: str = "street", key: str = "pk") -> Callable[..., dict]:
    """A `kwargs_for` that makes one object with `factory` in the street (`street_field` says where
    the street goes: "person__street" for a person's record) and addresses it by `key`."""

    def kwargs_for(street) -> dict:
        return {key: factory(**{street_field: street}).pk}

    return kwargs_for


PERSON_PK = pk_of(PersonFactory, key="person_pk")


def person_data(*url_names: str, **options) -> list[Case]:
    """PERSON_DATA cases that share their options, e.g. the pages addressing the same record
    (`kwargs_for`): one Case a URL name."""
    return [Case(url_name, Kind.PERSON_DATA, **options) for url_name in url_names]
