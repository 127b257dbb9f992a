"""Reads of the import pages."""

from django.db.models import QuerySet

from imports.models import ImportJob


def import_jobs_for(user) -> QuerySet[ImportJob]:
    """The jobs a user may see (his street's, or all for staff), without the stored file bytes."""
    return (
        ImportJob.objects.for_user(user).defer("file_data").select_related("user", "confirmed_by", "street")
    )
