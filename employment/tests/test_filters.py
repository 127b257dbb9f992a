"""The FilterSets as the Excel export calls them: XFilter(GET, queryset=for_user(user), request=request)."""

import datetime as dt

import pytest
from django.test import RequestFactory

from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.models import Employment, Graduate, Training
from employment.tests.factories import EmploymentFactory, GraduateFactory, TrainingFactory
from registry.tests.factories import PersonFactory, street

pytestmark = pytest.mark.django_db


def request_for(user, **params):
    request = RequestFactory().get("/export/", params)
    request.user = user
    return request


def test_export_convention_keeps_the_clerks_scope_whatever_the_street_parameter(clerk_user):
    TrainingFactory()
    TrainingFactory(person=PersonFactory(street=street("华侨路街道")))
    request = request_for(clerk_user, street=str(street("华侨路街道").pk))
    qs = TrainingFilter(request.GET, queryset=Training.objects.for_user(clerk_user), request=request).qs
    assert {t.person.street.name for t in qs} == {"宁海路街道"}


def test_staff_filter_by_street(staff_user):
    TrainingFactory()
    other = TrainingFactory(person=PersonFactory(street=street("华侨路街道")))
    request = request_for(staff_user, street=str(other.person.street_id))
    qs = TrainingFilter(request.GET, queryset=Training.objects.for_user(staff_user), request=request).qs
    assert list(qs) == [other]


def test_employment_filter_year_means_active_in_that_year(staff_user):
    active_2023 = EmploymentFactory(start_date=dt.date(2021, 1, 1), end_date=dt.date(2023, 1, 1))
    EmploymentFactory(start_date=dt.date(2021, 1, 1), end_date=dt.date(2022, 12, 31))
    request = request_for(staff_user, year="2023")
    qs = EmploymentFilter(request.GET, queryset=Employment.objects.for_user(staff_user), request=request).qs
    assert list(qs) == [active_2023]


def test_graduate_filter_employed_works_on_a_plain_queryset(staff_user):
    graduate = GraduateFactory(graduation_year=2023)
    EmploymentFactory(person=graduate.person, start_date=dt.date(2023, 9, 1))
    GraduateFactory(graduation_year=2023)
    request = request_for(staff_user, employed="yes")
    qs = GraduateFilter(request.GET, queryset=Graduate.objects.for_user(staff_user), request=request).qs
    assert list(qs) == [graduate]


def test_search_by_full_id_number_or_name(staff_user):
    wanted = TrainingFactory(person=PersonFactory(name="张三丰"))
    TrainingFactory(person=PersonFactory(name="李四"))
    for text in (wanted.person.id_number.lower(), "三丰"):
        request = request_for(staff_user, q=text)
        qs = TrainingFilter(request.GET, queryset=Training.objects.for_user(staff_user), request=request).qs
        assert list(qs) == [wanted]
