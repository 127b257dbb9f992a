"""Exports: the list page's filters applied to the scoped queryset, streamed into the template."""

from __future__ import annotations

import logging

from django.db.models import QuerySet

from sheets.excel import ExportWriter
from sheets.resources import PortalResource

logger = logging.getLogger(__name__)

EXPORT_CHUNK_SIZE = 2000


def export_queryset(resource_cls: type[PortalResource], *, user, params=None, request=None) -> QuerySet:
    """`<FilterSet>(params, queryset=Model.objects.for_user(user), request=request).qs`, or the
    scoped queryset alone when the app has no FilterSet (yet)."""
    resource = resource_cls()
    queryset = resource.export_queryset(user)
    filterset_class = resource_cls.filterset_class()
    if filterset_class is not None and params is not None:
        try:
            queryset = filterset_class(params, queryset=queryset, request=request).qs
        except Exception:  # a FilterSet under construction elsewhere must not break exports
            logger.exception("FilterSet %s failed; exporting unfiltered", resource_cls.filterset_path)
            queryset = resource.export_queryset(user)
    return queryset


def write_export(resource_cls: type[PortalResource], queryset: QuerySet, output) -> int:
    """Write one resource (template sheet + 填写说明) to `output`; returns the number of rows."""
    writer = ExportWriter(output)
    count = writer.add_resource(resource_cls, queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE))
    writer.add_instructions(resource_cls)
    writer.save()
    return count
