"""The portal's own reference data and accounts: streets, communities and their rosters, user profiles.

Everything above (the register, the domains, cross-domain work) scopes by these; they import nothing of
the apps above them. The tables keep their original `registry_*` names (the models moved here from the
registry app without copying data).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.constraints import not_before, unique
from core.roles import may_edit_records, sees_all_streets, street_of
from core.scoping import StreetScopedQuerySet

PHONE_RE = re.compile(r"1[3-9]\d{9}|(025-)?\d{8}")
PHONE_MESSAGE = "联系电话应为11位手机号或座机号（025-xxxxxxxx 或8位数字）"


def valid_phone(phone: str) -> bool:
    return bool(PHONE_RE.fullmatch(phone))


def protected_fk(
    to, verbose_name: str, related_name: str, *, optional: bool = False, **kwargs
) -> models.ForeignKey:
    """A foreign key whose target is kept as long as a record names it (PROTECT); `optional` (empty
    allowed) where a record may name none."""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name, **kwargs
    )


def user_field(verbose_name: str, *, optional: bool = False, **kwargs) -> models.ForeignKey:
    """The account that did something (built, approved, recorded...), with no reverse accessor on the
    user; `optional` while nobody has done it yet."""
    return protected_fk(settings.AUTH_USER_MODEL, verbose_name, "+", optional=optional, **kwargs)


def street_fk(
    related_name: str = "+", *, verbose_name: str = "所属街道", optional: bool = False, **kwargs
) -> models.ForeignKey:
    """The street a record belongs to (the scope of every street-scoped list); `optional` where a record
    may belong to the whole district."""
    return protected_fk("core.Street", verbose_name, related_name, optional=optional, **kwargs)


def community_fk(
    related_name: str = "+", *, verbose_name: str = "所属社区", optional: bool = True, **kwargs
) -> models.ForeignKey:
    """The community a record belongs to within its street, usually optional (not every address has one
    on record)."""
    return protected_fk("core.Community", verbose_name, related_name, optional=optional, **kwargs)


def yuan_field(
    verbose_name: str, *, max_digits: int = 10, optional: bool = False, **kwargs
) -> models.DecimalField:
    """An amount of money in 元, to the fen; `optional` where it may be left empty."""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.DecimalField(verbose_name, max_digits=max_digits, decimal_places=2, **kwargs)


class ChineseNames:
    """The base of a model's `Meta`: Chinese has no plural, so `verbose_name_plural` is the `verbose_name`
    unless the `Meta` says otherwise."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "verbose_name" in cls.__dict__ and "verbose_name_plural" not in cls.__dict__:
            cls.verbose_name_plural = cls.verbose_name


def change_history(verbose_name: str, **kwargs) -> HistoricalRecords:
    """A model's change history (变更记录), with its one Chinese name for one and many (see ChineseNames)."""
    return HistoricalRecords(verbose_name=verbose_name, verbose_name_plural=verbose_name, **kwargs)


class TimestampedModel(models.Model):
    """创建时间 and 更新时间, kept by Django on every save."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class StreetQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> StreetQuerySet:
        """Staff and admins choose among all streets, a clerk only his own, anybody else none; with
        `action="change"` (the streets a record may be written for) none for a role that writes nothing."""
        if action == "change" and not may_edit_records(user):
            return self.none()
        if sees_all_streets(user):
            return self
        street = street_of(user)
        return self.filter(pk=street.pk) if street is not None else self.none()

    def by_name(self, name: str) -> Street | None:
        """A street by its full name, its name without 街道, or its short name."""
        name = (name or "").strip()
        if not name:
            return None
        full = name if name.endswith("街道") else f"{name}街道"
        return self.filter(Q(name=full) | Q(short_name=name)).first()


class CommunityQuerySet(StreetScopedQuerySet):
    street_field = "street"
    community_field = "pk"


class Street(models.Model):
    name = models.CharField("街道", max_length=20, unique=True)
    short_name = models.CharField("简称", max_length=10, unique=True)
    code = models.CharField("区划代码", max_length=12, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = StreetQuerySet.as_manager()

    class Meta(ChineseNames):
        db_table = "registry_street"
        verbose_name = "街道"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    street = street_fk("communities", verbose_name="街道")
    name = models.CharField("社区", max_length=50)

    history = change_history("社区变更记录", table_name="registry_historicalcommunity")
    objects = CommunityQuerySet.as_manager()

    class Meta(ChineseNames):
        db_table = "registry_community"
        verbose_name = "社区"
        ordering = ["street__order", "name"]
        constraints = [unique("street", "name", name="community_unique_per_street")]

    def __str__(self) -> str:
        return self.name


class UserProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="portal_profile"
    )
    street = street_fk(optional=True)
    community = community_fk(help_text="社区专职委员只能查看和修改本社区人员")

    history = change_history("用户资料变更记录", table_name="registry_historicaluserprofile")

    class Meta(ChineseNames):
        db_table = "registry_userprofile"
        verbose_name = "用户资料"

    def __str__(self) -> str:
        return f"{self.user}"

    def clean(self) -> None:
        if self.community_id and self.street_id and self.community.street_id != self.street_id:
            raise ValidationError({"community": "所属社区不属于所选街道"})


class CommunityWorkerQuerySet(models.QuerySet):
    def active_on(self, date: dt.date) -> CommunityWorkerQuerySet:
        """In post on `date`: since on or before it, and no until or until on or after it."""
        return self.filter(Q(since__lte=date) & (Q(until__isnull=True) | Q(until__gte=date)))


class CommunityWorker(TimestampedModel):
    """社区专职委员: one entry of a community's roster; an ended term keeps its row (history)."""

    community = community_fk("workers", verbose_name="社区", optional=False)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    since = models.DateField("任职日期")
    until = models.DateField("离任日期", null=True, blank=True)

    history = change_history("专职委员变更记录", table_name="registry_historicalcommunityworker")
    objects = CommunityWorkerQuerySet.as_manager()

    class Meta(ChineseNames):
        db_table = "registry_communityworker"
        verbose_name = "社区专职委员"
        ordering = ["community__street__order", "community__name", "-since", "id"]
        indexes = [models.Index(fields=["community", "since"], name="community_worker_since")]
        constraints = [
            not_before("until", "since", name="community_worker_until_after_since"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.community}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.name = (self.name or "").strip()
        self.phone = (self.phone or "").strip()
        if self.since and self.until and self.until < self.since:
            errors["until"] = "离任日期不能早于任职日期"
        if self.phone and not valid_phone(self.phone):
            errors["phone"] = PHONE_MESSAGE
        if errors:
            raise ValidationError(errors)
