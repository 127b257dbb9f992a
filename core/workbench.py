"""工作台 (issue 14): the to-do counts a clerk, community worker or staff member lands on.

EXTENSION POINT. The registry must not import the domain apps (layers point down), so every app that
has something to do registers its items once the apps are ready (`register_items()` of its
workbench_items.py, which its AppConfig calls):

    from core import workbench
    workbench.register(key="...", title="...", order=50, count=..., url=workbench.link("app:list"))

`count(user, year)` returns one scoped number (one COUNT query, or a few); `url(user, year)` the list
behind it. `domain` hides an item from roles that may not open that domain (a community worker and
grants, imports, payment rolls); `applies(user)` decides where the rule is another. Overdue
applications join the same way once they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from core.roles import may_use_domain


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
    domain: str = ""  # the URL namespace whose users see the item (core.roles.may_use_domain)
    applies: Callable[..., bool] = field(default=_always)

    def shown_to(self, user) -> bool:
        return (not self.domain or may_use_domain(user, self.domain)) and self.applies(user)


def link(url_name: str, suffix: str = "") -> Callable[..., str]:
    """The `url` of an item whose list is one page whatever the user (`suffix`: a query string or a
    fragment, appended with the chosen year in place of `{year}`)."""

    def url(user, year: int) -> str:
        return reverse(url_name) + suffix.format(year=year)

    return url


@dataclass(frozen=True)
class WorkbenchEntry:
    key: str
    title: str
    help_text: str
    count: int
    url: str


_items: dict[str, WorkbenchItem] = {}


def register(**fields) -> None:
    """Add the item of these WorkbenchItem fields to the 工作台."""
    item = WorkbenchItem(**fields)
    _items[item.key] = item


def registered() -> list[WorkbenchItem]:
    return sorted(_items.values(), key=lambda item: (item.order, item.key))


def entries_for(user, year: int) -> list[WorkbenchEntry]:
    """The user's to-do counts, in the registered order; items his role may not open are left out."""
    entries = []
    for item in registered():
        if not item.shown_to(user):
            continue
        entries.append(
            WorkbenchEntry(item.key, item.title, item.help_text, item.count(user, year), item.url(user, year))
        )
    return entries
