"""Reads of the import pages."""

from django.db.models import QuerySet

from imports.models import ImportJob


def import_jobs_for(user) -> QuerySet[ImportJob]:
    """The jobs a user may see (his street's, or all for staff), without the stored file bytes.
    Previews never confirmed leave the log once expired (IMPORT_PREVIEW_TTL_HOURS)."""
    from imports.services import expired_previews

    jobs = ImportJob.objects.for_user(user)
    return (
        jobs.exclude(pk__in=expired_previews(jobs).values("pk"))
        .defer("file_data")
        .select_related("user", "confirmed_by", "street")
    )
