from education.tests.factories import EducationAidFactory, HomeTeachingVisitFactory
from tests.access import PERSON_PK, Case, Kind, person_data, pk_of

_aid = pk_of(EducationAidFactory, "person__street")
_visit = pk_of(HomeTeachingVisitFactory, "person__street")


ACCESS_CASES = [
    *person_data("education:record_list", "education:visit_list", "education:gap_export"),
    Case("education:figures", Kind.AGGREGATE),
    Case("education:gap_list", Kind.AGGREGATE),
    *person_data(
        "education:person_section", "education:aid_create", "education:visit_create", kwargs_for=PERSON_PK
    ),
    *person_data("education:aid_update", "education_api:aid-detail", kwargs_for=_aid),
    *person_data("education:visit_update", "education_api:visit-detail", kwargs_for=_visit),
    *person_data("education_api:aid-list", "education_api:visit-list"),
]
