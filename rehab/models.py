"""康复服务, including 辅助器具适配 and 无障碍改造."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.constraints import NEGATIVE_AMOUNT_MESSAGE, natural_key, not_negative
from core.date_bounds import validate_not_after_today
from core.models import ChineseNames, yuan_field
from core.periods import DatedQuerySet
from registry.models import PersonRecord, PersonRecordQuerySet, person_field


class RehabKind(models.TextChoices):
    BASIC = "basic", "基本康复服务"
    CHILD_REHAB = "child", "残疾儿童康复救助"
    MENTAL_COMMUNITY = "mental", "精神障碍社区康复"
    FAMILY_DOCTOR = "family_doctor", "家庭医生签约服务"
    HOME_REHAB = "home", "居家康复服务"
    ASSISTIVE_DEVICE = "device", "辅助器具适配"
    BARRIER_FREE = "barrier_free", "无障碍改造"


# K08 counts every kind except devices and home modification as rehabilitation.
REHABILITATION_KINDS = tuple(
    k for k in RehabKind if k not in (RehabKind.ASSISTIVE_DEVICE, RehabKind.BARRIER_FREE)
)


class RehabServiceQuerySet(PersonRecordQuerySet, DatedQuerySet):
    date_field = "service_date"

    def rehabilitation(self):
        return self.filter(kind__in=REHABILITATION_KINDS)

    def of_kind(self, *kinds: str):
        return self.filter(kind__in=kinds) if len(kinds) > 1 else self.filter(kind=kinds[0])

    def devices(self):
        """辅助器具适配 (K09)."""
        return self.filter(kind=RehabKind.ASSISTIVE_DEVICE)

    def barrier_free(self):
        """无障碍改造 (K10)."""
        return self.filter(kind=RehabKind.BARRIER_FREE)


class RehabService(PersonRecord):
    # its own name for the person's records (person.rehab_services)
    person = person_field("rehab_services")
    kind = models.CharField("服务项目", max_length=20, choices=RehabKind.choices)
    service_date = models.DateField("服务日期", validators=[validate_not_after_today])
    provider = models.CharField("服务机构", max_length=100, blank=True)
    device_name = models.CharField("辅具名称", max_length=50, blank=True)
    amount = yuan_field("金额（元）", optional=True)

    history = HistoricalRecords(verbose_name="康复服务变更记录")
    objects = RehabServiceQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "康复服务"
        ordering = ["-service_date", "id"]
        constraints = [
            natural_key(
                "rehab", "person", "kind", "service_date", message="该人员同一天已有同一项目的康复服务记录"
            ),
            not_negative(
                "amount", name="rehab_amount_not_negative", message=NEGATIVE_AMOUNT_MESSAGE, nullable=True
            ),
            models.CheckConstraint(
                condition=~Q(kind="device") | ~Q(device_name=""),
                name="rehab_device_needs_name",
                violation_error_message="辅助器具适配必须填写辅具名称",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "service_date"], name="rehab_kind_date"),
            # the newest-first lists page through this index instead of sorting every service
            models.Index(fields=["service_date"], name="rehab_service_date"),
            # the gap lists' "had no service of these kinds in the year": read from the index alone
            models.Index(fields=["kind", "service_date"], include=["person"], name="rehab_kind_date_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.service_date:%Y-%m-%d}"

    def clean(self) -> None:
        errors = {}
        self.device_name = (self.device_name or "").strip()
        self.provider = (self.provider or "").strip()
        if self.kind == RehabKind.ASSISTIVE_DEVICE and not self.device_name:
            errors["device_name"] = "辅助器具适配必须填写辅具名称"
        if errors:
            raise ValidationError(errors)
