from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

_aid = pk_of(EducationAidFactory, "person__street")
_visit = pk_of(HomeTeachingVisitFactory, "person__street")


ACCESS_CASES = [
    Case("education:record_list", Kind.PERSON_DATA),
    Case("education:visit_list", Kind.PERSON_DATA),
    Case("education:figures", Kind.AGGREGATE),
    Case("education:gap_list", Kind.AGGREGATE),
    Case("education:gap_export", Kind.PERSON_DATA),
    Case("education:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("education:aid_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("education:visit_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("education:aid_update", Kind.PERSON_DATA, kwargs_for=_aid),
    Case("education:visit_update", Kind.PERSON_DATA, kwargs_for=_visit),
    Case("education_api:aid-list", Kind.PERSON_DATA),
    Case("education_api:aid-detail", Kind.PERSON_DATA, kwargs_for=_aid),
    Case("education_api:visit-list", Kind.PERSON_DATA),
    Case("education_api:visit-detail", Kind.PERSON_DATA, kwargs_for=_visit),
]
