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


def training_data(**dates) -> dict:
    """A 家政服务员培训班 (employment skills) as the page's form and the API take it, with `dates`."""
    return {"name": "家政服务员培训班", "kind": "employment", **dates}


def training_row(person, **columns) -> dict:
    """The same training of `person` as a row of the import's template, with `columns`."""
    return {
        "公民身份号码": person.id_number,
        "培训项目": "家政服务员培训班",
        "培训类型": "就业技能培训",
        **columns,
    }
