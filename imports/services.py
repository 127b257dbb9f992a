"""Writes of the import flow: upload (and preview), confirm, run, and the export log.

upload -> preview (a dry run: nothing written) -> confirm -> import (one transaction) -> result.
Files with more than IMPORT_ASYNC_THRESHOLD_ROWS data rows are previewed and imported by a Celery
task (imports/tasks.py) that reports its progress on the job; smaller ones run in the request.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.roles import street_of
from imports.models import ImportJob
from imports.resources import get_resource_class
from sheets import engine, excel
from sheets.engine import ImportNotAllowed, ImportReport

logger = logging.getLogger(__name__)

MESSAGE_INTERNAL_ERROR = "导入时发生系统错误，未写入任何数据。请稍后重试，或联系系统管理员。"
MESSAGE_NOT_ALLOWED = "无权导入个人数据"
MESSAGE_QUEUE_DOWN = "后台任务服务暂时不可用，未写入任何数据：请稍后重新上传，或联系系统管理员。"
MESSAGE_CONFIRM_COMMUNITIES = "该文件将新建社区：请核对预览中列出的社区，勾选“确认新建以上社区”后再确认导入"
MESSAGE_EXPIRED = "预览后超过{hours}小时未确认，上传的文件已删除：请重新上传"
MESSAGE_STALE = (
    "处理超过{minutes}分钟没有进展（后台处理已中断），已停止，未写入任何数据，上传的文件已删除：请重新上传；"
    "如再次出现，请联系系统管理员"
)


class ImportJobError(Exception):
    """A Chinese message for the user (e.g. confirming a job twice)."""


def runs_in_background(row_count: int) -> bool:
    return row_count > settings.IMPORT_ASYNC_THRESHOLD_ROWS


def import_job_upload(*, acting_user, resource: str, file_name: str, data: bytes) -> ImportJob:
    """Keep the uploaded workbook on a new job and preview it (a dry run): inline for small files,
    as a Celery task for large ones. Bad files end as a rejected job with one message."""
    job = ImportJob(
        resource=resource,
        file_name=file_name[:255],
        file_size=len(data),
        file_data=data,
        user=acting_user,
        street=street_of(acting_user),
        status=ImportJob.Status.VALIDATING,
    )
    job.full_clean(exclude=["file_data"])
    job.save()
    try:
        job.row_count = excel.count_data_rows(data)
    except excel.BadFile as exc:
        _finish(job, errors=[{"row": exc.row, "column": exc.column, "message": exc.message}], dry_run=True)
        return job
    job.save(update_fields=["row_count"])
    _start(job, dry_run=True)
    job.refresh_from_db()
    return job


def import_job_confirm(*, acting_user, job: ImportJob, communities_confirmed: bool = False) -> ImportJob:
    """Claim a previewed job for import and run it. The claim is one conditional UPDATE, so a double
    click (or two clerks) cannot import the same file twice. A file that creates communities needs
    `communities_confirmed` (the tick 确认新建以上社区): a typo must not become a community unseen."""
    if job.new_communities and not communities_confirmed:
        raise ImportJobError(MESSAGE_CONFIRM_COMMUNITIES)
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.IMPORTING, confirmed_by=acting_user, confirmed_at=timezone.now(), progress=0
    )
    if not claimed:
        raise ImportJobError("该文件已确认导入或未通过检查，不能再次确认")
    _start(job, dry_run=False)
    job.refresh_from_db()
    return job


def _start(job: ImportJob, *, dry_run: bool) -> None:
    if runs_in_background(job.row_count):
        from imports.tasks import run_import_job

        def enqueue():
            try:
                result = run_import_job.delay(job.pk, dry_run)
            except Exception:  # the broker is down: say so on the job rather than leave it waiting
                logger.exception("could not queue import job %s", job.pk)
                _finish(
                    job,
                    errors=[{"row": None, "column": None, "message": MESSAGE_QUEUE_DOWN}],
                    dry_run=dry_run,
                )
                return
            ImportJob.objects.filter(pk=job.pk).update(task_id=result.id or "")

        transaction.on_commit(enqueue)
    else:
        import_job_run(job_id=job.pk, dry_run=dry_run)


def run_import(resource_name: str, data: bytes, **kwargs) -> ImportReport:
    """sheets.engine.run_import for the template of that name (imports.resources). Raises
    UnknownResource for a name that is none of them."""
    return engine.run_import(get_resource_class(resource_name), data, **kwargs)


def import_job_run(*, job_id: int, dry_run: bool, report_progress: bool = False) -> ImportJob:
    """Run the preview or the import of a job and store its outcome. Never raises for bad data."""
    job = ImportJob.objects.select_related("user", "confirmed_by").get(pk=job_id)
    if not job.is_running:  # ended meanwhile (e.g. failed as stale while it waited in the queue)
        return job
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    acting_user = job.user if dry_run else job.confirmed_by
    progress = ProgressWriter(job.pk) if report_progress else None
    try:
        report = run_import(
            job.resource,
            bytes(job.file_data),
            user=acting_user,
            dry_run=dry_run,
            progress=progress,
            change_reason=f"Excel导入：{job.file_name}"[:100],
        )
    except ImportNotAllowed:
        report = _failed_report(job, dry_run, MESSAGE_NOT_ALLOWED)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        report = _failed_report(job, dry_run, MESSAGE_INTERNAL_ERROR)
    finally:
        if progress is not None:
            progress.close()
    _finish(job, report=report, dry_run=dry_run)
    return job


def _failed_report(job: ImportJob, dry_run: bool, message: str) -> ImportReport:
    return ImportReport(
        resource=job.resource, dry_run=dry_run, errors=[{"row": None, "column": None, "message": message}]
    )


def _finish(
    job: ImportJob, *, dry_run: bool, report: ImportReport | None = None, errors: list | None = None
) -> None:
    if report is None:
        report = ImportReport(resource=job.resource, dry_run=dry_run, errors=errors or [])
    job.created, job.updated, job.unchanged = report.created, report.updated, report.unchanged
    job.errors = report.errors
    job.warnings = report.warnings
    job.new_communities = report.new_community_details
    if dry_run:
        job.plan = report.plan
    if report.rows:
        job.row_count = report.rows
    job.progress = 100
    if dry_run:
        job.status = ImportJob.Status.READY if report.accepted else ImportJob.Status.REJECTED
    else:
        job.status = ImportJob.Status.DONE if report.accepted else ImportJob.Status.FAILED
    # A preview rejected for its rows keeps the file until it expires (IMPORT_PREVIEW_TTL_HOURS): the
    # clerk downloads it marked with its errors (sheets/marked.py). A bad file is never kept.
    keeps_file = dry_run and job.status == ImportJob.Status.REJECTED and report.rows > 0
    if job.status != ImportJob.Status.READY:
        if not keeps_file:
            job.file_data = b""  # personal data is not kept once the file has served its purpose
        job.finished_at = timezone.now()
    job.save()


def import_log_command_run(*, acting_user, resource: str, file_name: str, report: ImportReport) -> ImportJob:
    """The audit record of an `import_excel` run that wrote (or was refused)."""
    now = timezone.now()
    return ImportJob.objects.create(
        source=ImportJob.Source.COMMAND,
        resource=resource,
        file_name=file_name[:255],
        user=acting_user,
        street=street_of(acting_user) if acting_user is not None else None,
        confirmed_by=acting_user,
        status=ImportJob.Status.DONE if report.accepted else ImportJob.Status.FAILED,
        row_count=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        errors=report.errors,
        warnings=report.warnings,
        new_communities=report.new_communities,
        progress=100,
        confirmed_at=now,
        finished_at=now,
    )


def preview_expiry_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.IMPORT_PREVIEW_TTL_HOURS)


def expired_previews(queryset=None):
    """Web previews (checked or rejected) never confirmed within IMPORT_PREVIEW_TTL_HOURS."""
    queryset = ImportJob.objects.all() if queryset is None else queryset
    return queryset.filter(
        source=ImportJob.Source.WEB,
        confirmed_at__isnull=True,
        status__in=[ImportJob.Status.READY, ImportJob.Status.REJECTED],
        uploaded_at__lt=preview_expiry_cutoff(),
    )


def import_jobs_purge_stale() -> int:
    """Previews never confirmed within IMPORT_PREVIEW_TTL_HOURS are deleted with their file (personal
    data; they already left the import log); jobs whose worker died end as failed; no finished job
    keeps its file. Returns the number of jobs deleted or ended here."""
    expired, _ = expired_previews().delete()
    stale = import_jobs_fail_stale()
    ImportJob.objects.exclude(status__in=[*ImportJob.RUNNING_STATES, ImportJob.Status.READY]).exclude(
        file_data=b""
    ).exclude(status=ImportJob.Status.REJECTED, confirmed_at__isnull=True).update(file_data=b"")
    return expired + stale


def stale_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.IMPORT_JOB_STALE_MINUTES)


def import_jobs_fail_stale(*, jobs=None) -> int:
    """End as failed the running jobs (of `jobs`, default all) with no progress for
    IMPORT_JOB_STALE_MINUTES: their worker died (killed, out of memory, restarted) and nothing will
    finish them. Their file is deleted; the import's transaction died with the worker."""
    last_activity = Coalesce("heartbeat_at", "confirmed_at", "uploaded_at")
    queryset = ImportJob.objects.all() if jobs is None else jobs
    message = MESSAGE_STALE.format(minutes=settings.IMPORT_JOB_STALE_MINUTES)
    stale = (
        queryset.filter(status__in=ImportJob.RUNNING_STATES)
        .alias(last_activity=last_activity)
        .filter(last_activity__lt=stale_cutoff())
    )
    count = stale.update(
        status=ImportJob.Status.FAILED,
        file_data=b"",
        finished_at=timezone.now(),
        errors=[{"row": None, "column": None, "message": message}],
    )
    if count:
        logger.warning(
            "%s import job(s) had no progress for %s minutes: failed",
            count,
            settings.IMPORT_JOB_STALE_MINUTES,
        )
    return count


def import_job_fail_if_stale(job: ImportJob) -> ImportJob:
    """The job as it is now, ended as failed first if its worker died (read by the job's pages)."""
    if job.is_running and import_jobs_fail_stale(jobs=ImportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


class ProgressWriter:
    """Writes a running job's progress through a database connection of its own.

    The import writes its rows in one long transaction; progress written through that transaction
    would stay invisible to the page polling it until the very end. PostgreSQL only: SQLite (the
    embedded quick start, Celery eager) would lock, and there nobody polls while the request runs.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = -1
        self.connection = (
            connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None
        )
        self.table = ImportJob._meta.db_table

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 0
        if self.connection is None or percent == self.last:
            return
        self.last = percent
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET progress = %s, heartbeat_at = %s WHERE id = %s",
                    [percent, timezone.now(), self.job_id],
                )
        except Exception:  # progress is cosmetic: never let it break an import
            logger.warning("could not record progress of import job %s", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
