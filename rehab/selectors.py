"""Reads of 康复服务 shared by pages and the indicators (K08, K09, K10)."""

from __future__ import annotations

from django.db.models import QuerySet

from registry.models import Person
from rehab.models import RehabService

# Suggestions for 辅具名称 (free text: the catalogue of the provincial system is much longer).
COMMON_DEVICE_NAMES = (
    "轮椅",
    "助听器",
    "助行器",
    "盲杖",
    "假肢",
    "矫形器",
    "拐杖",
    "助视器",
    "护理床",
    "坐便椅",
)


def services_of_person(person: Person) -> QuerySet[RehabService]:
    return RehabService.objects.filter(person=person).order_by("-service_date", "kind", "id")


def service_list(*, user) -> QuerySet[RehabService]:
    """The services of the user's persons, newest first (the 康复服务 list)."""
    return (
        RehabService.objects.for_user(user)
        .select_related("person", "person__street")
        .order_by("-service_date", "-id")
    )
