"""factory_boy factories for employment records (persons come from registry's PersonFactory)."""

import datetime as dt

import factory

from employment.models import Employment, EmploymentForm, Graduate, Training, TrainingKind
from registry.tests.factories import PersonFactory, PersonRecordFactory


class TrainingFactory(PersonRecordFactory):
    class Meta:
        model = Training

    name = factory.Sequence(lambda n: f"电子商务培训班第{n}期")
    kind = TrainingKind.EMPLOYMENT_SKILLS
    start_date = dt.date(2023, 4, 10)
    end_date = dt.date(2023, 4, 20)
    completed = True


class EmploymentFactory(PersonRecordFactory):
    class Meta:
        model = Employment

    form = EmploymentForm.FLEXIBLE
    employer = "南京某某科技有限公司"
    start_date = dt.date(2022, 3, 1)
    end_date = None


class GraduateFactory(PersonRecordFactory):
    class Meta:
        model = Graduate

    person = factory.SubFactory(PersonFactory, birth=dt.date(2001, 5, 4))
    graduation_year = 2023
    school = "南京特殊教育师范学院"
    degree = "bachelor"
