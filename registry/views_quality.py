"""数据质量: records that are accepted but flagged (issue 3). Placeholder until the domains land."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from registry.access import person_data_required


@require_GET
@person_data_required
def data_quality(request):
    return render(request, "registry/data_quality.html", {"sections": []})
