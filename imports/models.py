"""ImportJob: one uploaded workbook, its preview, its confirmation and its outcome (the import log)."""

from django.db import models

from core.models import ChineseNames, street_fk, user_field
from core.scoping import StreetScopedQuerySet


class ImportJobQuerySet(StreetScopedQuerySet):
    """A clerk sees the imports of his street, staff and administrators all of them."""

    street_field = "street"


def template_choices() -> list[tuple[str, str]]:
    """The templates' names (imports.resources). Read when the choices are, not when this module loads:
    the resources import the domains' FilterSets, which need every model loaded."""
    from imports.resources import RESOURCE_NAMES

    return [(name, name) for name in RESOURCE_NAMES]


class ImportJob(models.Model):
    class Status(models.TextChoices):
        VALIDATING = "validating", "正在检查"
        READY = "ready", "待确认"
        REJECTED = "rejected", "未通过检查"
        IMPORTING = "importing", "正在导入"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"

    RUNNING_STATES = (Status.VALIDATING, Status.IMPORTING)

    resource = models.CharField("模板", max_length=30, choices=template_choices)
    file_name = models.CharField("文件名", max_length=255)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    # The workbook itself, in the database so that any web or worker process can confirm it.
    # Emptied once the import is finished or rejected (personal data is not kept longer than needed).
    file_data = models.BinaryField("文件内容", editable=False, default=bytes)

    class Source(models.TextChoices):
        WEB = "web", "网页"
        COMMAND = "command", "服务器命令行"

    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.WEB)
    user = user_field("上传人", optional=True, help_text="命令行导入未指定 --user 时为空")
    street = street_fk(
        verbose_name="街道", optional=True, help_text="上传人为街道经办人时为其街道；区残联工作人员为空"
    )
    confirmed_by = user_field("确认人", optional=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.VALIDATING)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    warnings = models.JSONField("提示", default=list, blank=True)
    new_communities = models.JSONField("新建社区", default=list, blank=True)
    plan = models.JSONField(
        "预览明细",
        default=dict,
        blank=True,
        help_text="预览时将新增、更新（含变更字段）和不变的行（各最多200行）",
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Written when a run starts and with every progress step: a running job whose heartbeat stops
    # lost its worker (services.import_jobs_fail_stale).
    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta(ChineseNames):
        verbose_name = "导入记录"
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["street", "uploaded_at"], name="importjob_street_uploaded")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="importjob_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_title}：{self.file_name}"

    @property
    def resource_title(self) -> str:
        from imports.resources import get_resource_class  # see template_choices

        return get_resource_class(self.resource).import_title

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING_STATES

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.READY

    @property
    def error_rows(self) -> int:
        return len({e.get("row") for e in self.errors if e.get("row")})
