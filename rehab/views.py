"""Pages of 康复服务: the service list and the person section with inline (htmx) forms.

Every view reads through `for_user(request.user)`: another street's person or service answers 404.
The person section is loaded by htmx into the person detail page; its forms post back with htmx
and get the re-rendered section, and work as plain pages without JavaScript.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import person_data_required
from core.forms import run_service
from core.views import export_url
from registry.sections import InlineFormSection, paginate, person_or_404, record_or_404
from rehab import services
from rehab.filters import RehabServiceFilter
from rehab.forms import RehabServiceForm
from rehab.models import RehabService
from rehab.selectors import COMMON_DEVICE_NAMES, services_of_person

SECTION = InlineFormSection(
    url_name="rehab:person_section",
    fragment="rehab/_person_section.html",
    page="rehab/person_services.html",
    form_page="rehab/service_form.html",
    records=lambda person: {
        "services": list(services_of_person(person)),
        "device_names": COMMON_DEVICE_NAMES,
    },
    form_extra={"device_names": COMMON_DEVICE_NAMES},
)


@require_GET
@person_data_required
def service_list(request):
    queryset = RehabService.objects.for_user(request.user).select_related("person", "person__street")
    service_filter = RehabServiceFilter(request.GET, queryset=queryset, request=request)
    page_obj, querystring = paginate(
        request, service_filter.qs.order_by("-service_date", "-id"), access_log="rehabservice"
    )
    return render(
        request,
        "rehab/service_list.html",
        {
            "filter": service_filter,
            "page_obj": page_obj,
            "querystring": querystring,
            "export_url": export_url("rehab", querystring),
        },
    )


@require_GET
@person_data_required
def person_section(request, person_pk: int):
    return SECTION.response(request, person_or_404(request, person_pk))


@require_http_methods(["GET", "POST"])
@person_data_required
def service_create(request, person_pk: int):
    person = person_or_404(request, person_pk)
    form = RehabServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.rehab_service_create(
                acting_user=request.user, person=person, **form.cleaned_data
            ),
        )
        if saved is not None:
            return SECTION.done(
                request, person, f"已登记{saved.get_kind_display()}（{saved.service_date:%Y-%m-%d}）"
            )
    action = reverse("rehab:service_create", args=[person.pk])
    return SECTION.form(request, person, form, action=action, title="登记康复服务")


@require_http_methods(["GET", "POST"])
@person_data_required
def service_update(request, pk: int):
    service = record_or_404(request, RehabService, pk)
    person = service.person
    form = RehabServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.rehab_service_update(
                acting_user=request.user, service=service, data=form.cleaned_data
            ),
        )
        if saved is not None:
            return SECTION.done(request, person, f"已保存{saved.get_kind_display()}")
    action = reverse("rehab:service_update", args=[service.pk])
    return SECTION.form(request, person, form, action=action, title=f"修改{service.get_kind_display()}")
