import datetime as dt
from decimal import Decimal

import factory

from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from registry.tests.factories import PersonFactory, PersonRecordFactory


class EducationAidFactory(PersonRecordFactory):
    class Meta:
        model = EducationAid

    person = factory.SubFactory(PersonFactory, birth=dt.date(2012, 3, 4))
    stage = Stage.COMPULSORY
    school = "南京市琅琊路小学"
    kind = AidKind.GRANT
    aid_date = dt.date(2023, 9, 6)
    amount = Decimal("1000.00")


class HomeTeachingVisitFactory(PersonRecordFactory):
    class Meta:
        model = HomeTeachingVisit

    person = factory.SubFactory(PersonFactory, birth=dt.date(2014, 5, 6))
    visit_date = dt.date(2023, 10, 12)
    teacher = "王老师"
    content = "生活自理训练"
