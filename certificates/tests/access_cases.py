"""Certificates are closed to community workers (core.roles.COMMUNITY_WORKER_FORBIDDEN_DOMAINS):
applications are handled by street clerks and the district; their pages answer 403 to a worker."""

from certificates.tests import factories as f
from tests.access import PERSON_PK, Case, Kind


def _application(street):
    return {"pk": f.receive(street=street).pk}


ACCESS_CASES = [
    Case("certificates:application_list", Kind.PERSON_DATA),
    Case("certificates:application_create", Kind.PERSON_DATA),
    Case("certificates:application_detail", Kind.PERSON_DATA, kwargs_for=_application),
    Case("certificates:application_step", Kind.PERSON_DATA, kwargs_for=_application),
    Case("certificates:review_queue", Kind.STAFF),
    Case("certificates:overdue_list", Kind.STAFF),
    Case("certificates:statistics", Kind.AGGREGATE),
    Case("certificates:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("certificates_api:application-list", Kind.PERSON_DATA),
    Case("certificates_api:application-detail", Kind.PERSON_DATA, kwargs_for=_application),
]
