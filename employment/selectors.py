"""Reads of the employment domain: scoped list querysets, a person's records, overview counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.periods import today
from employment.models import Employment, Graduate, Training
from registry.models import Person


def training_list(user) -> QuerySet[Training]:
    return Training.objects.for_user(user).select_related("person", "person__street")


def employment_list(user) -> QuerySet[Employment]:
    return Employment.objects.for_user(user).select_related("person", "person__street")


def graduate_list(user) -> QuerySet[Graduate]:
    return Graduate.objects.for_user(user).select_related("person", "person__street").with_employment_status()


@dataclass(frozen=True)
class PersonRecords:
    trainings: list[Training]
    employments: list[Employment]
    graduations: list[Graduate]


def person_records(person: Person) -> PersonRecords:
    """Everything of the domain for one person's section (three queries)."""
    return PersonRecords(
        trainings=list(person.trainings.order_by("-start_date", "-id")),
        employments=list(person.employments.order_by("-start_date", "-id")),
        graduations=list(person.graduations.with_employment_status().order_by("-graduation_year")),
    )


@dataclass(frozen=True)
class Overview:
    year: int
    trained_persons: int
    trainings: int
    employed_persons: int
    graduates: int
    graduates_employed: int


def overview(user, year: int | None = None) -> Overview:
    """The landing page's figures for the user's streets: one aggregate query each."""
    year = year or today().year
    trainings = Training.objects.for_user(user).dated_in(year)
    graduates = Graduate.objects.for_user(user).of_year(year).with_employment_status()
    return Overview(
        year=year,
        trained_persons=trainings.values("person").distinct().count(),
        trainings=trainings.count(),
        employed_persons=Employment.objects.for_user(user).current().values("person").distinct().count(),
        graduates=graduates.count(),
        graduates_employed=graduates.filter(employed=True).count(),
    )
