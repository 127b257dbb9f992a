from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from tests.access import PERSON_PK, Case, Kind, pk_of

_training = pk_of(TrainingFactory, "person__street")
_employment = pk_of(EmploymentFactory, "person__street")
_graduate = pk_of(GraduateFactory, "person__street")


ACCESS_CASES = [
    Case("employment:index", Kind.PERSON_DATA),
    Case("employment:training_list", Kind.PERSON_DATA),
    Case("employment:employment_list", Kind.PERSON_DATA),
    Case("employment:graduate_list", Kind.PERSON_DATA),
    Case("employment:person_section", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("employment:training_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("employment:training_update", Kind.PERSON_DATA, kwargs_for=_training),
    Case("employment:employment_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("employment:employment_update", Kind.PERSON_DATA, kwargs_for=_employment),
    Case("employment:employment_end", Kind.PERSON_DATA, kwargs_for=_employment),
    Case("employment:graduate_create", Kind.PERSON_DATA, kwargs_for=PERSON_PK),
    Case("employment:graduate_update", Kind.PERSON_DATA, kwargs_for=_graduate),
    Case("employment_api:trainings-list", Kind.PERSON_DATA),
    Case("employment_api:trainings-detail", Kind.PERSON_DATA, kwargs_for=_training),
    Case("employment_api:employments-list", Kind.PERSON_DATA),
    Case("employment_api:employments-detail", Kind.PERSON_DATA, kwargs_for=_employment),
    Case("employment_api:graduates-list", Kind.PERSON_DATA),
    Case("employment_api:graduates-detail", Kind.PERSON_DATA, kwargs_for=_graduate),
]
