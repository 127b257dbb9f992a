"""Search and filters of the person register, shared by the list page, the API and the Excel export.

PersonFilter(request.GET, queryset=Person.objects.for_user(user), request=request).qs
"""

from __future__ import annotations

import re

import django_filters
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Reverse
from django.db.models.lookups import StartsWith

from core.filter_fields import IntegerFilter, id_filter, is_api_request
from core.idnumbers import normalize_id_number
from core.models import Community, Street
from core.roles import is_community_worker, sees_all_streets
from registry.forms import CommunitySelect
from registry.models import Category, Grade, Person, PersonStatus, Survey

_ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
_CERTIFICATE_RE = re.compile(r"^\d{17}[\dX]\d\d$")
# the last 4–8 characters of an ID number (or of a phone number)
_TAIL_RE = re.compile(r"^\d{3,7}[\dX]$")
# a whole phone number: mobile, or landline with or without 025-
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$")
_INITIALS_RE = re.compile(r"^[a-z]{1,20}$")


def search_persons(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """A full ID number or certificate number finds exactly that person; anything else searches names."""
    text = (text or "").strip()
    return queryset.filter(person_search_q(text)) if text else queryset


def _streets(request):
    user = getattr(request, "user", None)
    return Street.objects.for_user(user)


def _communities(request):
    user = getattr(request, "user", None)
    return Community.objects.for_user(user).select_related("street")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    street = django_filters.ModelChoiceFilter(label="街道", queryset=_streets, empty_label="全部街道")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=_communities, empty_label="全部社区")
    category = django_filters.ChoiceFilter(label="残疾类别", choices=Category.choices, empty_label="全部类别")
    grade = django_filters.ChoiceFilter(label="残疾等级", choices=Grade.choices, empty_label="全部等级")
    status = django_filters.ChoiceFilter(
        label="人员状态", choices=PersonStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = Person
        fields = ["q", "street", "community", "category", "grade", "status"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        # A clerk sees one street: the street filter would only be noise; his community choices are
        # his street's (Community.objects.for_user). A community worker sees one community.
        # (The API keeps the street filter: its values are checked against the user's streets, 400 otherwise.)
        if not sees_all_streets(user) and not is_api_request(request):
            self.filters.pop("street", None)
        if is_community_worker(user):
            self.filters.pop("community", None)
        elif "community" in self.filters:
            # each option names its street: portal.js offers only the chosen street's communities
            community_field = self.form.fields["community"]
            community_field.widget = CommunitySelect(choices=community_field.choices)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_search(self, queryset, name, value):
        return search_persons(queryset, value)


class SurveyFilter(django_filters.FilterSet):
    person = id_filter(label="持证残疾人ID", field_name="person_id")
    year = IntegerFilter(label="调查年度", min_value=2015, max_value=2100)
    street = django_filters.CharFilter(label="街道", field_name="person__street__name")

    class Meta:
        model = Survey
        fields = ["person", "year", "street"]


def person_search_q(text: str, prefix: str = "") -> Q:
    """The search as a Q; `prefix` ("person__") searches the persons of related records.

    A full ID or certificate number finds that person; a phone number its holders; 4–8 digits the
    persons whose ID number or phone number ends with them; Latin letters the pinyin initials of the
    name ("zs" finds 张三); anything else a fragment of the name. Each is served by an index at a
    million persons (registry migrations 0005 and 0011, docs/performance.md)."""
    normalized = normalize_id_number(text)
    if _ID_NUMBER_RE.match(normalized):
        return Q(**{f"{prefix}id_number": normalized})
    if _CERTIFICATE_RE.match(normalized):
        return Q(**{f"{prefix}certificate_number": normalized})
    compact = re.sub(r"\s+", "", text)
    if _PHONE_RE.match(compact):
        # the reversed-phone index (migration 0011) finds it; the equality keeps it exact
        return Q(StartsWith(Reverse(f"{prefix}phone"), Value(compact[::-1]))) & Q(
            **{f"{prefix}phone": compact}
        )
    if _TAIL_RE.match(normalized):
        tail = normalized[::-1]
        q = Q(StartsWith(Reverse(f"{prefix}id_number"), Value(tail)))
        if normalized[-1] != "X":
            q |= Q(StartsWith(Reverse(f"{prefix}phone"), Value(tail)))
        return q
    if _INITIALS_RE.match(compact.lower()):
        initials = compact.lower()
        # The full pinyin starts with the first initial: the range lets the planner use the pinyin
        # index too (a list sorted by name would otherwise walk it from "a", 5 s at a million persons).
        return Q(**{f"{prefix}name_initials__startswith": initials}) & Q(
            **{
                f"{prefix}name_pinyin__gte": initials[0],
                f"{prefix}name_pinyin__lt": chr(ord(initials[0]) + 1),
            }
        )
    name = text.strip()
    q = Q(**{f"{prefix}name__contains": name})
    if connection.vendor == "postgresql":
        # Every character of the fragment is in the name: served by the GIN index person_name_chars
        # (migration 0005), so LIKE only checks those rows instead of scanning the register.
        q &= Q(DataContains(_characters(F(f"{prefix}name")), _characters(Value(name))))
    return q


def _characters(text) -> Func:
    return Func(text, Value(None), function="string_to_array", output_field=ArrayField(TextField()))
