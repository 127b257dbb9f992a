"""Celery tasks: large workbooks are previewed and imported in a worker, with progress on the job."""

from celery import shared_task

from imports import services


@shared_task(name="imports.tasks.run_import_job")
def run_import_job(job_id: int, dry_run: bool) -> str:
    """Preview (dry_run) or import an uploaded workbook; the outcome is stored on the ImportJob."""
    job = services.import_job_run(job_id=job_id, dry_run=dry_run, report_progress=True)
    return job.status


@shared_task(name="imports.tasks.purge_stale_uploads")
def purge_stale_uploads() -> int:
    """Delete previewed workbooks nobody confirmed within a day, and end as failed (deleting their
    file) the jobs whose worker died."""
    return services.import_jobs_purge_stale()
