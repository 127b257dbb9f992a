from legal_aid.tests.factories import AidCaseFactory, ConsultationFactory
from tests.access import PERSON_PK, Case, Kind, person_data, pk_of

# A person's consultation (a community worker sees those of his community's persons).
_consultation = pk_of(ConsultationFactory, "person__street")
_case = pk_of(AidCaseFactory, "person__street")


ACCESS_CASES = [
    *person_data(
        "legal_aid:index", "legal_aid:consultation_create", "legal_aid:case_list", "legal_aid:case_create"
    ),
    *person_data("legal_aid_api:consultation-list", "legal_aid_api:case-list"),
    *person_data(
        "legal_aid:consultation_update", "legal_aid_api:consultation-detail", kwargs_for=_consultation
    ),
    *person_data("legal_aid:case_update", "legal_aid_api:case-detail", kwargs_for=_case),
    *person_data("legal_aid:person_section", kwargs_for=PERSON_PK),
    Case("legal_aid:figures", Kind.AGGREGATE),
]
