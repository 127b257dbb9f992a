"""The annual survey campaign (动态更新): the list of persons to survey in a year and each one's state."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.constraints import at_least, not_before, unique
from core.models import ChineseNames, change_history, community_fk, street_fk, user_field
from registry.models import Person, PersonRecordQuerySet, Survey

SECOND_CAMPAIGN_MESSAGE = "{year}年度调查已开启，同一年度不能开启第二次"
CLOSED_MESSAGE = "{year}年度调查已结束，不能再修改"


class Campaign(models.Model):
    """One campaign per year: opened by district staff with a due date, closed once (coverage frozen)."""

    year = models.PositiveSmallIntegerField("调查年度", unique=True)
    opened_on = models.DateField("开启日期")
    due_on = models.DateField("截止日期")
    closed_on = models.DateField("结束日期", null=True, blank=True)
    opened_by = user_field("开启人")
    synced_at = models.DateTimeField("名单更新时间", null=True, blank=True)
    # Coverage at closing: {"total":…, "done":…, "unreachable":…, "remaining":…, "left":…,
    # "rows": [{street, community, …}]}. Empty while the campaign runs.
    frozen_coverage = models.JSONField("结束时的调查覆盖", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = change_history("年度调查变更记录")

    class Meta(ChineseNames):
        verbose_name = "年度调查"
        ordering = ["-year"]
        constraints = [
            not_before("due_on", "opened_on", name="campaign_due_after_open", nullable=False),
            at_least("year", 2015, name="campaign_year_from_2015"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度调查"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.year is not None and Campaign.objects.filter(year=self.year).exclude(pk=self.pk).exists():
            errors["year"] = SECOND_CAMPAIGN_MESSAGE.format(year=self.year)
        if self.opened_on and self.year and self.opened_on.year != self.year:
            errors["opened_on"] = f"开启日期应在{self.year}年内"
        if self.opened_on and self.due_on and self.due_on < self.opened_on:
            errors["due_on"] = "截止日期不能早于开启日期"
        if self.due_on and self.year and self.due_on.year != self.year:
            errors["due_on"] = f"截止日期应在{self.year}年内"
        if errors:
            raise ValidationError(errors)

    def contains(self, date: dt.date) -> bool:
        return date.year == self.year


class EntryState(models.TextChoices):
    PENDING = "pending", "未调查"
    DONE = "done", "已调查"
    UNREACHABLE = "unreachable", "无法调查"


class UnreachableReason(models.TextChoices):
    REFUSED = "refused", "拒访"
    NO_CONTACT = "no_contact", "联系不上"
    AWAY = "away", "长期外出"
    HOSPITAL = "hospital", "住院"
    OTHER = "other", "其他"


class CampaignEntryQuerySet(PersonRecordQuerySet):
    def on_list(self) -> CampaignEntryQuerySet:
        """Entries still to be worked: the person has not left the register."""
        return self.filter(left_on__isnull=True)

    def overdue(self, campaign: Campaign, today: dt.date) -> CampaignEntryQuerySet:
        if today <= campaign.due_on:
            return self.none()
        return self.on_list().filter(state=EntryState.PENDING)


class CampaignEntry(models.Model):
    """A person on a campaign's list. Persons who leave the register are marked (left_on), never removed."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="年度调查", on_delete=models.CASCADE, related_name="entries"
    )
    person = models.ForeignKey(Person, verbose_name="持证残疾人", on_delete=models.CASCADE, related_name="+")
    # The person's street and community, copied at listing and kept in step by campaign_sync: the
    # progress counts group one table (see docs/performance.md). Scoping reads the person's own.
    street = street_fk(verbose_name="街道", null=True)
    community = community_fk(verbose_name="社区")
    state = models.CharField(
        "调查状态", max_length=12, choices=EntryState.choices, default=EntryState.PENDING
    )
    reason = models.CharField("无法调查原因", max_length=12, choices=UnreachableReason.choices, blank=True)
    reason_text = models.CharField("原因说明", max_length=200, blank=True)
    survey = models.ForeignKey(
        Survey, verbose_name="调查表", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visited_on = models.DateField("调查日期", null=True, blank=True)
    joined_on = models.DateField("列入名单日期")
    left_on = models.DateField("离开名册日期", null=True, blank=True)
    # The home visit's unsaved answers (form field name → submitted value), kept on the server.
    draft = models.JSONField("暂存的调查表", default=dict, blank=True)
    draft_saved_at = models.DateTimeField("暂存时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = change_history("调查名单变更记录", excluded_fields=["draft"])
    objects = CampaignEntryQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "调查名单"
        ordering = ["person__name", "id"]
        constraints = [
            unique("campaign", "person", name="campaign_entry_one_per_person"),
            models.CheckConstraint(
                condition=~Q(state="unreachable") | ~Q(reason=""),
                name="campaign_entry_unreachable_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="campaign_entry_state"),
            models.Index(
                fields=["campaign", "street", "community", "state", "left_on"], name="campaign_entry_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}：{self.person_id}"

    def clean(self) -> None:
        self.reason_text = (self.reason_text or "").strip()
        if self.state == EntryState.UNREACHABLE:
            if not self.reason:
                raise ValidationError({"reason": "请选择无法调查的原因"})
            if self.reason == UnreachableReason.OTHER and not self.reason_text:
                raise ValidationError({"reason_text": "原因为“其他”时请填写说明"})
        elif self.reason or self.reason_text:
            self.reason, self.reason_text = "", ""
