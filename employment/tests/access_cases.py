from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from tests.access import PERSON_PK, Case, Kind, person_data, pk_of

_training = pk_of(TrainingFactory, "person__street")
_employment = pk_of(EmploymentFactory, "person__street")
_graduate = pk_of(GraduateFactory, "person__street")


ACCESS_CASES = [
    Case("employment:index", Kind.PERSON_DATA),
    *person_data("employment:training_list", "employment:employment_list", "employment:graduate_list"),
    *person_data(
        "employment:person_section",
        "employment:training_create",
        "employment:employment_create",
        "employment:graduate_create",
        kwargs_for=PERSON_PK,
    ),
    *person_data("employment:training_update", "employment_api:trainings-detail", kwargs_for=_training),
    *person_data(
        "employment:employment_update",
        "employment:employment_end",
        "employment_api:employments-detail",
        kwargs_for=_employment,
    ),
    *person_data("employment:graduate_update", "employment_api:graduates-detail", kwargs_for=_graduate),
    *person_data(
        "employment_api:trainings-list", "employment_api:employments-list", "employment_api:graduates-list"
    ),
]
