"""数据质量 (issue 3): records that were accepted but look wrong, as scoped, set-based querysets.

Nothing here rejects a record: the import and the forms accept these rows, and this page shows
them to the street so that someone checks them. Every function takes the user and applies
`for_user`, and each returns one queryset (no per-row queries).

The record rules compare a record with its person row by row, which the planner cannot estimate
(it guesses a third of all rows match). Ordered and limited, such a query walks an index through
millions of rows; so the page takes the flagged ids in one narrow, unordered query (a hash join
over a few columns), sorts them newest first and loads only the rows of the page: `flagged_ids`
and `load_page`.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from care_homes.models import Placement
from core.periods import today
from quality.models import Flag
from registry.models import Person, PersonStatus, Survey
from rehab.models import RehabService
from subsidies.models import Grant

# Open-ended periods compare as if they ended in the far future.
FAR_FUTURE = dt.date(9999, 12, 1)

# Spelled as IN (not "<> active") so that the (street, status) index of persons can find them.
GONE_STATUSES = (PersonStatus.CANCELLED, PersonStatus.DECEASED, PersonStatus.MOVED_OUT)
_GONE = Q(person__status__in=GONE_STATUSES)


def grants_after_exit(user) -> QuerySet[Grant]:
    """停发提醒: grants still paid after the person died, was cancelled or moved out.

    A grant counts as stopped when its end month is the month of the status change or earlier
    (the month of death is still paid); empty or a later end month is flagged.
    """
    return (
        Grant.objects.for_user(user)
        .filter(_GONE)
        .filter(Q(end_month__isnull=True) | Q(end_month__gt=F("person__status_changed_on")))
        .select_related("person", "person__street")
    )


def placements_after_exit(user) -> QuerySet[Placement]:
    """停发提醒: care placements still running after the person's death, cancellation or move-out."""
    return (
        Placement.objects.for_user(user)
        .filter(_GONE)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=F("person__status_changed_on")))
        .select_related("person", "person__street", "home")
    )


def overlapping_grants(user) -> QuerySet[Grant]:
    """Grants of one person and kind whose months overlap another grant of the same kind."""
    overlapping = (
        Grant.objects.filter(person=OuterRef("person"), kind=OuterRef("kind"))
        .exclude(pk=OuterRef("pk"))
        .filter(start_month__lte=Coalesce(OuterRef("end_month"), Value(FAR_FUTURE)))
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=OuterRef("start_month")))
    )
    return Grant.objects.for_user(user).filter(Exists(overlapping)).select_related("person", "person__street")


def misdated_rehab_services(user) -> QuerySet[RehabService]:
    """Rehab services dated before the certificate was issued or after the person left the registry.

    Annotated with `problem`, the reason a clerk reads.
    """
    before_issue = Q(service_date__lt=F("person__issued_on"))
    after_exit = _GONE & Q(service_date__gt=F("person__status_changed_on"))
    return (
        RehabService.objects.for_user(user)
        .filter(before_issue | after_exit)
        .annotate(
            problem=Case(
                When(before_issue, then=Value("服务日期早于发证日期")),
                default=Value("服务日期晚于人员状态变更日期"),
                output_field=CharField(),
            )
        )
        .select_related("person", "person__street")
    )


def persons_without_survey(user, year: int | None = None) -> QuerySet[Person]:
    """Persons in the registry today (正常) without a survey of `year` (default: this year)."""
    year = year or today().year
    return (
        Person.objects.for_user(user)
        .in_registry_on(today())
        .filter(~Exists(Survey.objects.filter(person=OuterRef("pk"), year=year)))
        .select_related("street")
        # by name through the name index: the first page needs no sort of the whole register
        .order_by("name", "id")
    )


def kept_flags(queryset: QuerySet, rule: str) -> QuerySet:
    """A record rule's queryset narrowed to the records PostgreSQL's triggers keep flagged for it
    (quality.models.Flag): the same rows without a full pass over the table, since the rule's own
    filters still apply to each. Elsewhere (no triggers) the queryset as it is."""
    if connection.vendor != "postgresql":
        return queryset
    return queryset.filter(pk__in=Flag.objects.filter(rule=rule).values("record_id"))


def flagged_ids(queryset: QuerySet) -> list[int]:
    """The ids a record rule flags, newest record first: one narrow query, no ORDER BY or LIMIT."""
    return sorted(queryset.order_by().values_list("pk", flat=True), reverse=True)


def load_page(queryset: QuerySet, ids: list[int]) -> list:
    """The records of `ids` (one page), with the queryset's related rows, in the order of `ids`."""
    by_pk = {record.pk: record for record in queryset.filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]
