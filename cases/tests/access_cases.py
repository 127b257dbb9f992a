"""Cases are street-scoped; a community worker sees his community's cases where a person is attached:
kwargs_for attaches a person of the street (the matrix moves him into the community it checks)."""

from cases.tests.factories import CaseFactory
from registry.tests.factories import PersonFactory
from tests.access import Case, Kind


def _case(street):
    return {"pk": CaseFactory(street=street, person=PersonFactory(street=street)).pk}


ACCESS_CASES = [
    Case("cases:case_list", Kind.PERSON_DATA),
    Case("cases:case_create", Kind.PERSON_DATA),
    Case("cases:overdue_list", Kind.PERSON_DATA),
    Case("cases:due_soon_list", Kind.PERSON_DATA),
    Case("cases:figures", Kind.AGGREGATE),
    Case("cases:deadline_rules", Kind.STAFF),
    Case("cases:case_detail", Kind.PERSON_DATA, kwargs_for=_case),
    Case("cases:case_update", Kind.PERSON_DATA, kwargs_for=_case),
    Case("cases:case_close", Kind.PERSON_DATA, kwargs_for=_case),
    Case("cases:case_action", Kind.PERSON_DATA, kwargs_for=_case),
    Case("cases:case_satisfaction", Kind.PERSON_DATA, kwargs_for=_case),
    Case("cases_api:case-list", Kind.PERSON_DATA),
    Case("cases_api:case-detail", Kind.PERSON_DATA, kwargs_for=_case),
]
ACCESS_CASES += [
    Case("cases_api:case-close", Kind.PERSON_DATA, kwargs_for=_case),
    Case("cases_api:case-actions", Kind.PERSON_DATA, kwargs_for=_case),
]
