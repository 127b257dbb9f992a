"""Pages of 教育助学: the aid and visit lists, the person section with inline (htmx) forms, the
figures, and the 送教上门 gap list beside K07's.

Every read of person data goes through `for_user(request.user)` (another street's person or record
answers 404) and is access-logged; officials see the figures and the gap counts, never names.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.access import person_data_required
from core.models import Street
from core.roles import sees_person_data
from education import selectors, services
from education.filters import EducationAidFilter, HomeTeachingVisitFilter
from education.forms import EducationAidForm, HomeTeachingVisitForm
from education.models import EducationAid, HomeTeachingVisit
from education.selectors import aids_of_person, visits_of_person
from registry import person_sheet
from registry.audit import log_access, log_export
from registry.models import AccessLog
from registry.sections import IdsFirstPaginator, InlineFormSection, list_view, page_by_ids
from sheets import xlsx

GAP_PAGE_SIZE = 50

SECTION = InlineFormSection(
    url_name="education:person_section",
    fragment="education/_person_section.html",
    page="education/person_records.html",
    records=lambda person: {
        "aids": list(aids_of_person(person)),
        "visits": list(visits_of_person(person)),
    },
)


record_list = list_view(
    "education/record_list.html",
    selectors.aid_list,
    filterset_class=EducationAidFilter,
    paginator_class=IdsFirstPaginator,
    export="education_aid",
    access_log="educationaid",
)
visit_list = list_view(
    "education/visit_list.html",
    selectors.visit_list,
    filterset_class=HomeTeachingVisitFilter,
    paginator_class=IdsFirstPaginator,
    export="home_teaching",
    access_log="hometeachingvisit",
)


person_section = SECTION.section_view()


aid_create = SECTION.create_view(
    EducationAidForm,
    services.education_aid_create,
    "登记教育助学",
    lambda saved: f"已登记{saved.get_kind_display()}（{saved.aid_date:%Y-%m-%d}）",
)
aid_update = SECTION.update_view(
    EducationAid,
    EducationAidForm,
    services.education_aid_update,
    lambda aid: f"修改{aid.get_kind_display()}",
    lambda saved: f"已保存{saved.get_kind_display()}",
    record_arg="aid",
)
visit_create = SECTION.create_view(
    HomeTeachingVisitForm,
    services.home_teaching_visit_create,
    "登记送教上门",
    lambda saved: f"已登记送教上门（{saved.visit_date:%Y-%m-%d}）",
)
visit_update = SECTION.update_view(
    HomeTeachingVisit,
    HomeTeachingVisitForm,
    services.home_teaching_visit_update,
    "修改送教上门",
    lambda saved: f"已保存送教上门（{saved.visit_date:%Y-%m-%d}）",
    record_arg="visit",
)


# ---------------------------------------------------------------------------------------------
# Figures and the gap list


def _year(request) -> int:
    """?year=: one of the picker's years (the current year when absent); anything else is a 404."""
    years = selectors.gap_years()
    raw = request.GET.get("year")
    if not raw:
        return selectors.default_year()
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    return year


@require_GET
def figures(request):
    """教育助学统计: aggregates for every role (no names)."""
    year = _year(request)
    streets = list(Street.objects.order_by("order"))
    context = {
        "year": year,
        "years": selectors.gap_years(),
        "figures": selectors.figures(year, streets),
        "hide_names": not sees_person_data(request.user),
    }
    return render(request, "education/figures.html", context)


def _street_param(request, streets: list[Street]) -> Street | None:
    raw = request.GET.get("street")
    if not raw:
        return None
    for street in streets:
        if str(street.pk) == raw:
            return street
    raise Http404


@require_GET
def gap_list(request):
    """未入学且无送教上门: school-age children (6–15 on 31 August) whose survey of the year says
    未入学 with no 送教上门 dated in the year. Clerks and community workers see their scope's names,
    staff every street's; officials see counts per street only."""
    year = _year(request)
    context = {"year": year, "years": selectors.gap_years()}
    if not sees_person_data(request.user):
        counts = selectors.gap_counts_by_street(year, list(Street.objects.order_by("order")))
        context.update(counts=counts, total=sum(c["total"] for c in counts))
        return render(request, "education/gap_counts.html", context)
    streets = list(Street.objects.for_user(request.user).order_by("order"))
    street = _street_param(request, streets)
    rows = _gap_rows(request, year, street)
    page = page_by_ids(rows, request.GET.get("page"), GAP_PAGE_SIZE, load=selectors.gap_loader)
    log_access(
        request=request,
        action=AccessLog.Action.GAP_LIST,
        object_type="gap_list:education",
        rows=page.object_list,
        detail=f"未入学且无送教上门 {year}年 {street or '全部可见街道'} 第{page.number}页",
    )
    query = {"year": year, **({"street": street.pk} if street else {})}
    context.update(
        streets=streets,
        street=street,
        page_obj=page,
        querystring=urlencode(query),
        export_url=reverse("education:gap_export") + "?" + urlencode(query),
    )
    return render(request, "education/gap_list.html", context)


def _gap_rows(request, year: int, street: Street | None):
    rows = selectors.gap_persons(year).for_user(request.user)
    if street is not None:
        rows = rows.filter(street=street)
    return rows.order_by("street__order", "name", "pk")


_GAP_COLUMNS = [
    xlsx.Column("姓名", width=12),
    xlsx.Column("公民身份号码", width=22, number_format=xlsx.TEXT),
    xlsx.Column("出生日期", width=12, number_format=xlsx.DATE),
    *person_sheet.PLACE_COLUMNS,
]


@require_GET
@person_data_required
def gap_export(request):
    """The gap list of the user's scope (or one of his streets) as xlsx with masked ID numbers; logged."""
    year = _year(request)
    streets = list(Street.objects.for_user(request.user).order_by("order"))
    street = _street_param(request, streets)
    rows = _gap_rows(request, year, street).select_related("street", "community")
    writer = xlsx.WorkbookWriter()
    sheet = writer.add_sheet("未入学且无送教上门", _GAP_COLUMNS)
    count = sheet.extend(
        [person.name, person.masked_id_number, person.birth_date, *person_sheet.place_cells(person)]
        for person in rows.iterator(chunk_size=2000)
    )
    log_export(
        request=request,
        user=request.user,
        object_type="gap_list:education",
        row_count=count,
        detail=f"未入学且无送教上门 {year}年缺口名单 {street or '全部可见街道'}",
    )
    return xlsx.xlsx_response(writer.save(), f"未入学且无送教上门_{year}年.xlsx")
