from legal_aid.tests.factories import AidCaseFactory, ConsultationFactory
from registry.tests.factories import PersonFactory
from tests.access import Case, Kind


def _consultation(street):
    """A person's consultation (a community worker sees those of his community's persons)."""
    return {"pk": ConsultationFactory(person=PersonFactory(street=street)).pk}


def _person(street):
    return {"person_pk": PersonFactory(street=street).pk}


def _case(street):
    return {"pk": AidCaseFactory(person=PersonFactory(street=street)).pk}


ACCESS_CASES = [
    Case("legal_aid:index", Kind.PERSON_DATA),
    Case("legal_aid:consultation_create", Kind.PERSON_DATA),
    Case("legal_aid:consultation_update", Kind.PERSON_DATA, kwargs_for=_consultation),
    Case("legal_aid:case_list", Kind.PERSON_DATA),
    Case("legal_aid:case_create", Kind.PERSON_DATA),
    Case("legal_aid:case_update", Kind.PERSON_DATA, kwargs_for=_case),
    Case("legal_aid:person_section", Kind.PERSON_DATA, kwargs_for=_person),
    Case("legal_aid:figures", Kind.AGGREGATE),
    Case("legal_aid_api:consultation-list", Kind.PERSON_DATA),
    Case("legal_aid_api:consultation-detail", Kind.PERSON_DATA, kwargs_for=_consultation),
    Case("legal_aid_api:case-list", Kind.PERSON_DATA),
    Case("legal_aid_api:case-detail", Kind.PERSON_DATA, kwargs_for=_case),
]
