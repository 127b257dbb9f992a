"""Excel import pages (upload, preview, confirm, progress, result, log), blank templates and exports."""

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.access import person_data_required
from core.roles import COMMUNITY_WORKER_FORBIDDEN_MESSAGE
from core.scoping import opens_to
from imports import services
from imports.forms import ImportUploadForm
from imports.resources import RESOURCE_NAMES, get_resource_class, resource_choices
from imports.selectors import import_jobs_for
from registry.audit import log_access, log_export
from registry.models import AccessLog
from sheets import excel, exports, marked

RECENT_JOBS = 10
JOBS_PER_PAGE = 25


def _resource_or_404(name):
    if name not in RESOURCE_NAMES:
        raise Http404
    return get_resource_class(name)


def _index(request, form, status=200):
    context = {
        "form": form,
        "resources": resource_choices(),
        "jobs": import_jobs_for(request.user)[:RECENT_JOBS],
        "max_mb": excel.max_file_bytes() // (1024 * 1024),
    }
    return render(request, "imports/index.html", context, status=status)


@require_GET
@person_data_required
def index(request):
    resource = request.GET.get("resource")
    return _index(
        request, ImportUploadForm(initial={"resource": resource if resource in RESOURCE_NAMES else ""})
    )


@person_data_required
def upload(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    upload = form.cleaned_data["file"]
    job = services.import_job_upload(
        acting_user=request.user,
        resource=form.cleaned_data["resource"],
        file_name=upload.name,
        data=upload.read(),
    )
    return redirect("imports:preview", pk=job.pk)


def _job_page(request, pk, heading):
    job = services.import_job_fail_if_stale(get_object_or_404(import_jobs_for(request.user), pk=pk))
    # the page lists the file's records, with the stored values of those it updates: a read of person data
    listed = sum(len(job.plan.get(kind, [])) for kind in ("created", "updated", "unchanged"))
    log_access(
        request=request,
        action=AccessLog.Action.VIEW,
        object_type="importjob",
        obj=job,
        row_count=listed,
        detail=f"{heading}：{job.resource_title}（{job.file_name}）",
    )
    context = {"job": job, "heading": heading, "async_threshold": settings.IMPORT_ASYNC_THRESHOLD_ROWS}
    return render(request, "imports/job_detail.html", context)


@require_GET
@person_data_required
def preview(request, pk):
    return _job_page(request, pk, "导入预览")


@require_GET
@person_data_required
def result(request, pk):
    return _job_page(request, pk, "导入结果")


@person_data_required
def confirm(request, pk):
    job = get_object_or_404(import_jobs_for(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.import_job_confirm(
            acting_user=request.user,
            job=job,
            communities_confirmed=request.POST.get("confirm_communities") == "on",
        )
    except services.ImportJobError as exc:
        messages.error(request, str(exc))
        return redirect("imports:preview", pk=job.pk)
    return redirect("imports:result", pk=job.pk)


@require_GET
@person_data_required
def progress(request, pk):
    """The progress bar, polled by htmx while a job runs; once it has finished, htmx reloads the page."""
    job = services.import_job_fail_if_stale(get_object_or_404(import_jobs_for(request.user), pk=pk))
    if not job.is_running and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        target = "imports:result" if job.is_confirmed else "imports:preview"
        response["HX-Redirect"] = reverse(target, kwargs={"pk": job.pk})
        return response
    return render(request, "imports/_progress.html", {"job": job})


def _xlsx_download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_GET
@person_data_required
def marked_copy(request, pk):
    """The uploaded workbook with its bad cells filled red and the messages as comments."""
    job = get_object_or_404(import_jobs_for(request.user).defer(None), pk=pk)
    if not job.errors or not job.file_data:
        raise Http404("该文件没有可标注的错误，或上传的文件已删除")
    try:
        data = marked.marked_copy(bytes(job.file_data), job.errors, job.resource_title)
    except excel.BadFile as exc:
        raise Http404(exc.message) from None
    log_export(
        request=request,
        user=request.user,
        object_type=job.resource,
        row_count=job.row_count,
        detail=f"导入文件错误标注：{job.file_name}",
    )
    stem = job.file_name.rsplit(".", 1)[0]
    return _xlsx_download(data, f"{stem}_错误标注.xlsx")


@require_GET
@person_data_required
def job_list(request):
    services.import_jobs_fail_stale(jobs=import_jobs_for(request.user))
    page = Paginator(import_jobs_for(request.user), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/job_list.html", {"page_obj": page})


@require_GET
@person_data_required
def template(request):
    resource_cls = _resource_or_404(request.GET.get("resource"))
    return _xlsx_download(excel.build_template(resource_cls), f"{resource_cls.import_title}导入模板.xlsx")


@require_GET
@person_data_required
def export(request):
    """?resource=<name>&<the list page's filters>: the user's scoped, filtered records in the template."""
    resource_cls = _resource_or_404(request.GET.get("resource"))
    if not opens_to(resource_cls._meta.model, request.user):
        raise PermissionDenied(COMMUNITY_WORKER_FORBIDDEN_MESSAGE)
    try:
        queryset = exports.export_queryset(
            resource_cls, user=request.user, params=request.GET, request=request
        )
    except ValidationError as exc:  # a filter the list page would refuse: never an unfiltered export
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
    count = exports.write_export(resource_cls, queryset, output)
    log_export(
        request=request,
        user=request.user,
        object_type=resource_cls.import_name,
        row_count=count,
        detail=request.GET.urlencode(),
    )
    output.seek(0)
    filename = f"{resource_cls.import_title}_{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(output, as_attachment=True, filename=filename, content_type=excel.XLSX_CONTENT_TYPE)
