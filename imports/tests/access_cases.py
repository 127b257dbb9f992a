from django.contrib.auth import get_user_model

from core.models import Street
from core.roles import Role
from imports.models import ImportJob
from registry.tests.factories import make_user
from tests.access import Case, Kind

User = get_user_model()


def job_of_street(street: Street) -> dict:
    """A previewed job uploaded by a clerk of `street`."""
    username = f"uploader-{street.pk}"
    owner = User.objects.filter(username=username).first() or make_user(
        username, Role.STREET_CLERK, street.name
    )
    job = ImportJob.objects.create(
        resource="persons",
        file_name="持证残疾人.xlsx",
        user=owner,
        street=street,
        status=ImportJob.Status.READY,
        row_count=3,
        created=3,
    )
    return {"pk": job.pk}


def rejected_job_of_street(street: Street) -> dict:
    """A preview of `street`'s clerk rejected for one bad cell, its file kept for the marked copy."""
    from imports.tests.factories import person_row, persons_workbook

    kwargs = job_of_street(street)
    ImportJob.objects.filter(pk=kwargs["pk"]).update(
        status=ImportJob.Status.REJECTED,
        file_data=persons_workbook(person_row(所属街道=street.name, 残疾类别="八级")),
        errors=[{"row": 2, "column": "残疾类别", "message": "应为以下之一：视力、听力（填写的是：八级）"}],
    )
    return kwargs


ACCESS_CASES = [
    Case("imports:index", Kind.PERSON_DATA),
    Case("imports:upload", Kind.PERSON_DATA, ok_status=405),
    Case("imports:template", Kind.PERSON_DATA, query="?resource=persons"),
    Case("imports:export", Kind.PERSON_DATA, query="?resource=persons"),
    Case("imports:job_list", Kind.PERSON_DATA),
    Case("imports:preview", Kind.PERSON_DATA, kwargs_for=job_of_street),
    Case("imports:confirm", Kind.PERSON_DATA, kwargs_for=job_of_street, ok_status=405),
    Case("imports:progress", Kind.PERSON_DATA, kwargs_for=job_of_street),
    Case("imports:result", Kind.PERSON_DATA, kwargs_for=job_of_street),
    Case("imports:marked_copy", Kind.PERSON_DATA, kwargs_for=rejected_job_of_street),
]
