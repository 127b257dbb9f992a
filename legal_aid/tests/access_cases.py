from legal_aid.tests.factories import AidCaseFactory, ConsultationFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

# A person's consultation (a community worker sees those of his community's persons).
_consultation = pk_of(ConsultationFactory, "person__street")
_case = pk_of(AidCaseFactory, "person__street")


ACCESS_CASES = [
    Case("legal_aid:index", Kind.PERSON_DATA),
    Case("legal_aid:consultation_create", Kind.PERSON_DATA),
    Case("legal_aid:consultation_update", Kind.PERSON_DATA, kwargs_for=_consultation),
    Case("legal_aid:case_list", Kind.PERSON_DATA),
    Case("legal_aid:case_create", Kind.PERSON_DATA),
    Case("legal_aid:case_update", Kind.PERSON_DATA, kwargs_for=_case),
    Case("legal_aid:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("legal_aid:figures", Kind.AGGREGATE),
    Case("legal_aid_api:consultation-list", Kind.PERSON_DATA),
    Case("legal_aid_api:consultation-detail", Kind.PERSON_DATA, kwargs_for=_consultation),
    Case("legal_aid_api:case-list", Kind.PERSON_DATA),
    Case("legal_aid_api:case-detail", Kind.PERSON_DATA, kwargs_for=_case),
]
