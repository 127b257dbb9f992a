"""Reads of 补贴与救助 shared by pages, the indicators (K03, K04) and the 应享未享 hints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from core.periods import today
from registry.models import LOW_INCOME_TYPES, Category, Grade, Person, PersonStatus, Survey
from subsidies.models import Grant, GrantKind

NURSING_GRADES = (Grade.FIRST, Grade.SECOND)
NURSING_THIRD_GRADE_CATEGORIES = (Category.INTELLECTUAL, Category.MENTAL)


def nursing_eligible_q(prefix: str = "") -> Q:
    """重度残疾人护理补贴 eligibility (K04): grade 一级/二级, or 三级 with category 智力/精神.

    Usable through a relation, e.g. nursing_eligible_q("person__") on a grant or survey queryset.
    """
    return Q(**{f"{prefix}grade__in": NURSING_GRADES}) | Q(
        **{f"{prefix}grade": Grade.THIRD, f"{prefix}category__in": NURSING_THIRD_GRADE_CATEGORIES}
    )


def low_income_q(prefix: str = "") -> Q:
    """困难残疾人生活补贴 eligibility on a survey (K04): a low-income household (低保/低保边缘/特困)."""
    return Q(**{f"{prefix}low_income_type__in": LOW_INCOME_TYPES})


def is_nursing_eligible(person: Person) -> bool:
    return person.grade in NURSING_GRADES or (
        person.grade == Grade.THIRD and person.category in NURSING_THIRD_GRADE_CATEGORIES
    )


def grants_of_person(person: Person) -> QuerySet[Grant]:
    return Grant.objects.filter(person=person).order_by("-start_month", "kind", "id")


@dataclass(frozen=True)
class Hint:
    """One 应享未享 hint: a subsidy the person is entitled to but does not receive."""

    kind: str  # empty: a note that eligibility cannot be judged, not a missing subsidy
    message: str

    @property
    def kind_label(self) -> str:
        return GrantKind(self.kind).label if self.kind else ""


def missing_entitlements(
    person: Person, *, on: dt.date | None = None, grants: Iterable[Grant] | None = None
) -> list[Hint]:
    """应享未享: the two subsidies (K04) the person qualifies for on `on` without an active grant.

    Only persons in the registry (status 正常) get hints. Living-allowance eligibility reads the
    survey of the year of `on`, or else the latest earlier one (the hint names its year); without
    any survey the note says so instead of guessing.
    At most two queries (the survey and the active grants); pass the person's `grants` when they
    are loaded already to save one.
    """
    on = on or today()
    if person.status != PersonStatus.ACTIVE or person.issued_on > on:
        return []
    hints: list[Hint] = []
    if grants is not None:
        active_kinds = {grant.kind for grant in grants if grant.is_active_on(on)}
    else:
        active_kinds = set(
            Grant.objects.filter(person=person)
            .of_kind(GrantKind.NURSING_ALLOWANCE, GrantKind.LIVING_ALLOWANCE)
            .active_on(on)
            .values_list("kind", flat=True)
        )
    if is_nursing_eligible(person) and GrantKind.NURSING_ALLOWANCE not in active_kinds:
        hints.append(
            Hint(
                GrantKind.NURSING_ALLOWANCE,
                f"{person.get_grade_display()}{person.get_category_display()}残疾，"
                "符合重度残疾人护理补贴条件，但目前没有在发放的护理补贴。",
            )
        )
    if GrantKind.LIVING_ALLOWANCE not in active_kinds:
        # Years past the last survey fall back to the latest one, and say how old it is.
        survey = (
            Survey.objects.filter(person=person, year__lte=on.year)
            .order_by("-year")
            .only("year", "low_income_type")
            .first()
        )
        if survey is None:
            hints.append(Hint("", "尚无需求调查，无法判断是否符合困难残疾人生活补贴条件。"))
        elif survey.is_low_income:
            basis = (
                f"{survey.year}年度调查"
                if survey.year == on.year
                else f"依据{survey.year}年调查（{on.year}年度尚未调查）"
            )
            hints.append(
                Hint(
                    GrantKind.LIVING_ALLOWANCE,
                    f"{basis}为{survey.get_low_income_type_display()}家庭，"
                    "符合困难残疾人生活补贴条件，但目前没有在发放的生活补贴。",
                )
            )
    return hints


def persons_missing_entitlements(user, *, on: dt.date | None = None) -> QuerySet[Person]:
    """应享未享, set-based: the persons (of the user's scope, 正常) the hints above would flag.

    The same rule as `missing_entitlements` in one query: nursing eligibility without an active
    nursing grant, or a low-income latest survey (of `on`'s year or before) without an active
    living allowance. Annotated with `missing_nursing`, `missing_living` and `survey_year`.
    """
    on = on or today()
    active = Grant.objects.filter(person=OuterRef("pk")).active_on(on)
    latest_survey = Survey.objects.filter(person=OuterRef("pk"), year__lte=on.year).order_by("-year")
    return (
        Person.objects.for_user(user)
        .filter(status=PersonStatus.ACTIVE, issued_on__lte=on)
        .annotate(
            survey_year=Subquery(latest_survey.values("year")[:1]),
            survey_income=Subquery(latest_survey.values("low_income_type")[:1]),
            missing_nursing=nursing_eligible_q() & ~Exists(active.filter(kind=GrantKind.NURSING_ALLOWANCE)),
            missing_living=Q(survey_income__in=LOW_INCOME_TYPES)
            & ~Exists(active.filter(kind=GrantKind.LIVING_ALLOWANCE)),
        )
        .filter(Q(missing_nursing=True) | Q(missing_living=True))
    )


# The standard monthly amount of a kind in a month: 发放名册 (a layer above) owns the standards and
# registers its lookup in its AppConfig.ready(); without it nothing is pre-filled.
_standard_lookup: Callable[[str, dt.date], Decimal | None] | None = None


def register_standard_lookup(lookup: Callable[[str, dt.date], Decimal | None]) -> None:
    global _standard_lookup
    _standard_lookup = lookup


def standard_amount(kind: str, month: dt.date) -> Decimal | None:
    """The standard in force for `kind` in `month`, or None when none is known."""
    return _standard_lookup(kind, month) if _standard_lookup is not None else None


def grant_list(*, user) -> QuerySet[Grant]:
    """The grants of the user's persons, newest first (the 补贴与救助 list)."""
    return (
        Grant.objects.for_user(user)
        .select_related("person", "person__street")
        .order_by("-start_month", "-id")
    )
