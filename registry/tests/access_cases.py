from registry.tests.factories import PersonFactory, SurveyFactory
from tests.access import PERSON_PK, Case, Kind, person_data, pk_of

_person = pk_of(PersonFactory)


def _community(street):
    from core.models import Community

    return {"pk": Community.objects.create(street=street, name=f"矩阵社区{Community.objects.count()}").pk}


_survey = pk_of(SurveyFactory, "person__street")


ACCESS_CASES = [
    *person_data(
        "registry:workbench", "quality:data_quality", "registry:person_list", "registry:person_create"
    ),
    *person_data("registry_api:person-list", "registry_api:survey-list"),
    Case("registry:community_roster", Kind.STAFF),
    Case("registry:community_manage", Kind.STAFF),
    Case("registry:community_rename", Kind.STAFF, kwargs_for=_community, ok_status=405),
    Case("registry:community_merge", Kind.STAFF, kwargs_for=_community, ok_status=405),
    *person_data(
        "registry:person_detail", "registry:person_update", "registry_api:person-detail", kwargs_for=_person
    ),
    Case("registry:person_status", Kind.PERSON_DATA, kwargs_for=_person, ok_status=405),
    *person_data("registry:survey_section", "registry:survey_create", kwargs_for=PERSON_PK),
    *person_data("registry:survey_update", "registry_api:survey-detail", kwargs_for=_survey),
]
