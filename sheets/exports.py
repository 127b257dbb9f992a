"""Exports: the list page's filters applied to the scoped queryset, streamed into the template."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from sheets.excel import ExportWriter
from sheets.resources import PortalResource

EXPORT_CHUNK_SIZE = 2000
MESSAGE_BAD_FILTER = "导出条件有误：{errors}"


def export_queryset(resource_cls: type[PortalResource], *, user, params=None, request=None) -> QuerySet:
    """`<FilterSet>(params, queryset=Model.objects.for_user(user), request=request).qs`, or the
    scoped queryset alone for a resource without a FilterSet. A filter value the FilterSet refuses
    raises ValidationError naming it: an export is never wider than the list it was asked for."""
    resource = resource_cls()
    queryset = resource.export_queryset(user)
    filterset_class = resource_cls.filterset_class
    if filterset_class is None or params is None:
        return queryset
    filterset = filterset_class(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        form = filterset.form
        errors = "；".join(
            f"{form.fields[name].label or name}：{'，'.join(messages)}"
            if name in form.fields
            else "，".join(messages)
            for name, messages in filterset.errors.items()
        )
        raise ValidationError(MESSAGE_BAD_FILTER.format(errors=errors))
    return filterset.qs


def write_export(resource_cls: type[PortalResource], queryset: QuerySet, output) -> int:
    """Write one resource (template sheet + 填写说明) to `output`; returns the number of rows."""
    writer = ExportWriter(output)
    count = writer.add_resource(resource_cls, queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE))
    writer.add_instructions(resource_cls)
    writer.save()
    return count
