from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from registry.tests.factories import PersonFactory
from tests.access import Case, Kind


def _person(street):
    return {"person_pk": PersonFactory(street=street).pk}


def _aid(street):
    return {"pk": EducationAidFactory(person__street=street).pk}


def _visit(street):
    return {"pk": HomeTeachingVisitFactory(person__street=street).pk}


ACCESS_CASES = [
    Case("education:record_list", Kind.PERSON_DATA),
    Case("education:visit_list", Kind.PERSON_DATA),
    Case("education:figures", Kind.AGGREGATE),
    Case("education:gap_list", Kind.AGGREGATE),
    Case("education:gap_export", Kind.PERSON_DATA),
    Case("education:person_section", Kind.PERSON_DATA, kwargs_for=_person),
    Case("education:aid_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("education:visit_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("education:aid_update", Kind.PERSON_DATA, kwargs_for=_aid),
    Case("education:visit_update", Kind.PERSON_DATA, kwargs_for=_visit),
    Case("education_api:aid-list", Kind.PERSON_DATA),
    Case("education_api:aid-detail", Kind.PERSON_DATA, kwargs_for=_aid),
    Case("education_api:visit-list", Kind.PERSON_DATA),
    Case("education_api:visit-detail", Kind.PERSON_DATA, kwargs_for=_visit),
]
