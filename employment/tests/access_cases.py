from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from registry.tests.factories import PersonFactory
from tests.access import Case, Kind


def _person(street):
    return {"person_pk": PersonFactory(street=street).pk}


def _training(street):
    return {"pk": TrainingFactory(person=PersonFactory(street=street)).pk}


def _employment(street):
    return {"pk": EmploymentFactory(person=PersonFactory(street=street)).pk}


def _graduate(street):
    return {"pk": GraduateFactory(person=PersonFactory(street=street)).pk}


ACCESS_CASES = [
    Case("employment:index", Kind.PERSON_DATA),
    Case("employment:training_list", Kind.PERSON_DATA),
    Case("employment:employment_list", Kind.PERSON_DATA),
    Case("employment:graduate_list", Kind.PERSON_DATA),
    Case("employment:person_section", Kind.PERSON_DATA, kwargs_for=_person),
    Case("employment:training_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("employment:training_update", Kind.PERSON_DATA, kwargs_for=_training),
    Case("employment:employment_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("employment:employment_update", Kind.PERSON_DATA, kwargs_for=_employment),
    Case("employment:employment_end", Kind.PERSON_DATA, kwargs_for=_employment),
    Case("employment:graduate_create", Kind.PERSON_DATA, kwargs_for=_person),
    Case("employment:graduate_update", Kind.PERSON_DATA, kwargs_for=_graduate),
    Case("employment_api:trainings-list", Kind.PERSON_DATA),
    Case("employment_api:trainings-detail", Kind.PERSON_DATA, kwargs_for=_training),
    Case("employment_api:employments-list", Kind.PERSON_DATA),
    Case("employment_api:employments-detail", Kind.PERSON_DATA, kwargs_for=_employment),
    Case("employment_api:graduates-list", Kind.PERSON_DATA),
    Case("employment_api:graduates-detail", Kind.PERSON_DATA, kwargs_for=_graduate),
]
