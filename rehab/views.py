"""Pages of 康复服务: the service list and the person section with inline (htmx) forms.

Every view reads through `for_user(request.user)`: another street's person or service answers 404.
The person section is loaded by htmx into the person detail page; its forms post back with htmx
and get the re-rendered section, and work as plain pages without JavaScript.
"""

from __future__ import annotations

from registry.sections import InlineFormSection, list_view
from rehab import selectors, services
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


service_list = list_view(
    "rehab/service_list.html",
    selectors.service_list,
    filterset_class=RehabServiceFilter,
    export="rehab",
    access_log="rehabservice",
)


person_section = SECTION.section_view()


service_create = SECTION.create_view(
    RehabServiceForm,
    services.rehab_service_create,
    "登记康复服务",
    lambda saved: f"已登记{saved.get_kind_display()}（{saved.service_date:%Y-%m-%d}）",
)
service_update = SECTION.update_view(
    RehabService,
    RehabServiceForm,
    services.rehab_service_update,
    lambda service: f"修改{service.get_kind_display()}",
    lambda saved: f"已保存{saved.get_kind_display()}",
    record_arg="service",
)
