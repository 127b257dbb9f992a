"""社区管理 (district staff): the communities of a street with their persons; rename; merge a typo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core import services as core_services
from core.access import staff_required
from core.models import Community, Street
from registry import services


def _back(community: Community):
    return redirect(f"{reverse('registry:community_manage')}?street={community.street_id}")


@require_GET
@staff_required
def community_manage(request):
    streets = list(Street.objects.all())
    chosen = request.GET.get("street")
    street = next((s for s in streets if str(s.pk) == chosen), streets[0] if streets else None)
    communities = (
        Community.objects.filter(street=street).annotate(person_count=Count("persons")).order_by("name")
        if street
        else Community.objects.none()
    )
    return render(
        request,
        "registry/community_manage.html",
        {"streets": streets, "street": street, "communities": communities},
    )


@staff_required
@require_POST
def community_rename(request, pk: int):
    community = get_object_or_404(Community.objects.select_related("street"), pk=pk)
    old = community.name
    try:
        core_services.community_rename(
            acting_user=request.user, community=community, name=request.POST.get("name", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将“{old}”改名为“{community.name}”")
    return _back(community)


@staff_required
@require_POST
def community_merge(request, pk: int):
    source = get_object_or_404(Community.objects.select_related("street"), pk=pk)
    chosen = request.POST.get("target", "")
    valid = chosen.isascii() and chosen.isdigit() and len(chosen) <= 9
    target = Community.objects.filter(pk=int(chosen)).first() if valid else None
    if target is None:
        messages.error(request, "请选择要合并到的社区")
        return _back(source)
    try:
        moved = services.community_merge(acting_user=request.user, source=source, target=target)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(source)
    messages.success(
        request,
        f"已将“{source.name}”合并到“{target.name}”：转入持证残疾人 {moved['persons']} 名、"
        f"用户 {moved['profiles']} 个、专职委员记录 {moved['workers']} 条，“{source.name}”已删除",
    )
    return _back(target)
