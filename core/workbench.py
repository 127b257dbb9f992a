"""工作台 (issue 14): the to-do counts a clerk, community worker or staff member lands on.

EXTENSION POINT. The registry must not import the domain apps (layers point down), so every app that
has something to do registers a `WorkbenchItem` in its AppConfig.ready():

    from core import workbench
    workbench.register(workbench.WorkbenchItem(key="...", title="...", order=50, count=..., url=...))

`count(user, year)` returns one scoped number (one COUNT query, or a few); `url(user, year)` the list
behind it. `applies(user)` hides an item from roles that may not open its domain (a community worker
and grants, imports, payment rolls). Overdue applications join the same way once they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


def _always(user) -> bool:
    return True


@dataclass(frozen=True)
class WorkbenchItem:
    key: str
    title: str
    order: int
    count: Callable[..., int]  # (user, year) -> int, scoped with for_user
    url: Callable[..., str]  # (user, year) -> the list the count stands for
    help_text: str = ""
    applies: Callable[..., bool] = field(default=_always)


def link(url_name: str, suffix: str = "") -> Callable[..., str]:
    """The `url` of an item whose list is one page whatever the user and the year (`suffix`: a query
    string or a fragment, appended as it is)."""

    def url(user, year: int) -> str:
        return reverse(url_name) + suffix

    return url


@dataclass(frozen=True)
class WorkbenchEntry:
    key: str
    title: str
    help_text: str
    count: int
    url: str


_items: dict[str, WorkbenchItem] = {}


def register(item: WorkbenchItem) -> None:
    _items[item.key] = item


def registered() -> list[WorkbenchItem]:
    return sorted(_items.values(), key=lambda item: (item.order, item.key))


def entries_for(user, year: int) -> list[WorkbenchEntry]:
    """The user's to-do counts, in the registered order; items his role may not open are left out."""
    entries = []
    for item in registered():
        if not item.applies(user):
            continue
        entries.append(
            WorkbenchEntry(item.key, item.title, item.help_text, item.count(user, year), item.url(user, year))
        )
    return entries
