"""Reads of 办证申请: the lists, the review queue, the overdue list and the aggregate figures."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth

from certificates.models import Application, ApplicationKind, ApplicationStep, Decision
from core.periods import today
from core.workdays import add_workdays


def application_list(*, user, state: str = "", street_id: int | None = None) -> QuerySet[Application]:
    queryset = Application.objects.for_user(user).select_related("street")
    if state:
        queryset = queryset.filter(state=state)
    if street_id:
        queryset = queryset.filter(street_id=street_id)
    return queryset.order_by("-received_on", "-id")


def review_queue(*, user) -> QuerySet[Application]:
    """Waiting for the district's decision, oldest first."""
    return (
        Application.objects.for_user(user)
        .review_queue()
        .select_related("street")
        .order_by("received_on", "id")
    )


def overdue(*, user, on: dt.date | None = None) -> QuerySet[Application]:
    """Undecided past CERTIFICATE_DECISION_WORKING_DAYS working days from 受理, oldest first."""
    on = on or today()
    days = settings.CERTIFICATE_DECISION_WORKING_DAYS
    return (
        Application.objects.for_user(user)
        .overdue_on(on, days)
        .select_related("street")
        .order_by("received_on", "id")
    )


def deadline_of(application: Application) -> dt.date:
    return add_workdays(application.received_on, settings.CERTIFICATE_DECISION_WORKING_DAYS)


def steps_of(application: Application) -> list[ApplicationStep]:
    return list(application.steps.select_related("by").order_by("sequence"))


def applications(*, user) -> QuerySet[Application]:
    """The applications the user may open (an application's page and steps)."""
    return Application.objects.for_user(user).select_related("street")


def earlier_applications(application: Application, *, user) -> QuerySet[Application]:
    """The applicant's other applications (same ID number) that the user may see."""
    return (
        Application.objects.for_user(user)
        .filter(id_number=application.id_number)
        .exclude(pk=application.pk)
        .order_by("-received_on", "-id")
    )


def certificate_history(person) -> list[ApplicationStep]:
    """Each issue, change, appeal and cancellation of a person: the decisions and appeals of the
    applications for the person's ID number."""
    return list(
        ApplicationStep.objects.filter(
            application__id_number=person.id_number, kind__in=["district_review", "appeal"]
        )
        .select_related("application")
        .order_by("done_on", "application_id", "sequence")
    )


def monthly_counts(*, year: int) -> list[dict]:
    """Applications received per month by kind, outcome (of the first decision) and street: counts
    only, no names (officials see these)."""
    rows = (
        Application.objects.filter(received_on__year=year)
        .annotate(month=TruncMonth("received_on"))
        .values("month", "kind", "outcome", "street__name")
        .order_by("month", "street__name", "kind", "outcome")
    )
    kinds = dict(ApplicationKind.choices)
    outcomes = dict(Decision.choices)
    result = list(rows.annotate(count=Count("id")))
    for row in result:
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
        row["outcome_label"] = outcomes.get(row["outcome"], "未决定")
    return result


def decision_durations(*, year: int) -> dict:
    """Calendar days from 受理 to the first decision of the applications decided in `year`: how many,
    the median (one aggregate on PostgreSQL), and how many of each outcome."""
    decided = Application.objects.filter(decided_on__year=year)
    by_outcome = Counter(dict(decided.values_list("outcome").annotate(n=Count("id")).order_by()))
    total = sum(by_outcome.values())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_on - received_on)"
                " FROM certificates_application WHERE decided_on >= %s AND decided_on < %s",
                [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)],
            )
            median = cursor.fetchone()[0]
    else:
        days = [
            d.days for d in decided.annotate(d=F("decided_on") - F("received_on")).values_list("d", flat=True)
        ]
        median = statistics.median(days) if days else None
    if median is not None and float(median).is_integer():
        median = int(median)
    return {"decided": total, "median_days": median, "by_outcome": by_outcome}
