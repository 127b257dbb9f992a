"""Cases are street-scoped; a community worker sees his community's cases where a person is attached:
kwargs_for attaches a person of the street (the matrix moves him into the community it checks)."""

from cases.tests.factories import CaseFactory
from registry.tests.factories import PersonFactory
from tests.access import Case, Kind, person_data


def _case(street):
    return {"pk": CaseFactory(street=street, person=PersonFactory(street=street)).pk}


ACCESS_CASES = [
    *person_data("cases:case_list", "cases:case_create", "cases:overdue_list", "cases:due_soon_list"),
    *person_data("cases_api:case-list"),
    Case("cases:figures", Kind.AGGREGATE),
    Case("cases:deadline_rules", Kind.STAFF),
    *person_data(
        "cases:case_detail",
        "cases:case_update",
        "cases:case_close",
        "cases:case_action",
        "cases:case_satisfaction",
        "cases_api:case-detail",
        "cases_api:case-close",
        "cases_api:case-actions",
        kwargs_for=_case,
    ),
]
