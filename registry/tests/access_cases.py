from registry.tests.factories import PersonFactory, SurveyFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

_person = pk_of(PersonFactory)


def _community(street):
    from core.models import Community

    return {"pk": Community.objects.create(street=street, name=f"矩阵社区{Community.objects.count()}").pk}


_survey = pk_of(SurveyFactory, "person__street")


ACCESS_CASES = [
    Case("registry:workbench", Kind.PERSON_DATA),
    Case("quality:data_quality", Kind.PERSON_DATA),
    Case("registry:community_roster", Kind.STAFF),
    Case("registry:community_manage", Kind.STAFF),
    Case("registry:community_rename", Kind.STAFF, kwargs_for=_community, ok_status=405),
    Case("registry:community_merge", Kind.STAFF, kwargs_for=_community, ok_status=405),
    Case("registry:person_list", Kind.PERSON_DATA),
    Case("registry:person_create", Kind.PERSON_DATA),
    Case("registry:person_detail", Kind.PERSON_DATA, kwargs_for=_person),
    Case("registry:person_update", Kind.PERSON_DATA, kwargs_for=_person),
    Case("registry:person_status", Kind.PERSON_DATA, kwargs_for=_person, ok_status=405),
    Case("registry:survey_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("registry:survey_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("registry:survey_update", Kind.PERSON_DATA, kwargs_for=_survey),
    Case("registry_api:person-list", Kind.PERSON_DATA),
    Case("registry_api:person-detail", Kind.PERSON_DATA, kwargs_for=_person),
    Case("registry_api:survey-list", Kind.PERSON_DATA),
    Case("registry_api:survey-detail", Kind.PERSON_DATA, kwargs_for=_survey),
]
