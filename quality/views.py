"""数据质量: records that are accepted but flagged (issue 3), one paged table per rule.

Each section is one scoped queryset from quality/selectors.py; a page of it costs a COUNT and one
SELECT, whatever the number of rows, so the page runs a bounded number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from core.access import person_data_required
from core.models import Street
from core.periods import today
from core.roles import sees_all_streets
from core.scoping import opens_to
from quality import selectors
from registry.audit import log_access
from registry.models import AccessLog
from registry.survey_years import FIRST_SURVEY_YEAR, chosen_year

PAGE_SIZE = 20
# The person rule counts at most this many (then reads "5000+"): an exact count of every person without a
# survey reads the whole register (a million persons: most of the page's time), the first pages do not.
COUNT_CAP = 5000


class CappedPaginator(Paginator):
    """Counts up to `COUNT_CAP` rows and one more (the "more" shows as "5000+"); the first pages are exact."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    def page(self, number) -> Page:
        # a whole page even where the capped count would end it early
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @property
    def count_text(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


@dataclass
class Row:
    person_id: int
    person_name: str
    cells: list[str]


@dataclass
class Section:
    key: str
    title: str
    help_text: str
    headers: list[str]
    page: Page
    rows: list[Row] = field(default_factory=list)
    count_text: str = ""
    previous_query: str = ""
    next_query: str = ""


def _person_cells(person) -> list[str]:
    return [person.masked_id_number, person.street.name]


def _status_cell(person) -> str:
    return f"{person.get_status_display()} {person.status_changed_on:%Y-%m-%d}"


def _month(value) -> str:
    return f"{value:%Y-%m}" if value else "未填写"


def _grant_row(grant) -> Row:
    person = grant.person
    cells = [
        *_person_cells(person),
        grant.get_kind_display(),
        _month(grant.start_month),
        _month(grant.end_month),
        _status_cell(person),
    ]
    return Row(person.pk, person.name, cells)


def _placement_row(placement) -> Row:
    person = placement.person
    end = f"{placement.end_date:%Y-%m-%d}" if placement.end_date else "未填写"
    cells = [
        *_person_cells(person),
        placement.home.name,
        f"{placement.start_date:%Y-%m-%d}",
        end,
        _status_cell(person),
    ]
    return Row(person.pk, person.name, cells)


def _overlap_row(grant) -> Row:
    person = grant.person
    cells = [
        *_person_cells(person),
        grant.get_kind_display(),
        _month(grant.start_month),
        _month(grant.end_month),
    ]
    return Row(person.pk, person.name, cells)


def _service_row(service) -> Row:
    person = service.person
    status = _status_cell(person) if person.status_changed_on else person.get_status_display()
    cells = [
        *_person_cells(person),
        service.get_kind_display(),
        f"{service.service_date:%Y-%m-%d}",
        f"{person.issued_on:%Y-%m-%d}",
        status,
        service.problem,
    ]
    return Row(person.pk, person.name, cells)


def _person_row(person) -> Row:
    cells = [*_person_cells(person), f"{person.get_category_display()}{person.get_grade_display()}"]
    return Row(person.pk, person.name, [*cells, f"{person.issued_on:%Y-%m-%d}"])


def _query_with_page(request, param: str, number: int) -> str:
    """This page's query string with one section moved to another page (the others stay put)."""
    query = request.GET.copy()
    query[param] = str(number)
    return query.urlencode()


def _section(request, key, title, help_text, headers, queryset, row, *, by_ids: bool = True) -> Section:
    """One paged table: record rules page through their flagged ids (two queries, see selectors.py),
    the person rule counts (capped) and pages in SQL through the name index."""
    param = f"{key}_page"
    if by_ids:
        page = Paginator(selectors.flagged_ids(queryset), PAGE_SIZE).get_page(request.GET.get(param))
        records = selectors.load_page(queryset, list(page.object_list))
    else:
        page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))
        records = list(page.object_list)
    paginator = page.paginator
    section = Section(
        key,
        title,
        help_text,
        ["姓名", "公民身份号码", "街道", *headers],
        page,
        [row(r) for r in records],
        paginator.count_text if isinstance(paginator, CappedPaginator) else str(paginator.count),
    )
    if page.has_previous():
        section.previous_query = _query_with_page(request, param, page.previous_page_number())
    if page.has_next():
        section.next_query = _query_with_page(request, param, page.next_page_number())
    return section


def _chosen_street(request):
    if not sees_all_streets(request.user):
        return None
    try:
        return Street.objects.filter(pk=int(request.GET.get("street", ""))).first()
    except ValueError:
        return None


@require_GET
@person_data_required
def data_quality(request):
    user = request.user
    street = _chosen_street(request)
    year = chosen_year(request)

    def scoped(queryset, street_path="person__street"):
        return queryset.filter(**{street_path: street}) if street else queryset

    # (key, title, help, headers, queryset, row, by_ids); a community worker is not shown the rules of
    # the domains closed to him (grants, placements): their querysets are empty for him anyway.
    rules = [
        (
            "grants_after_exit",
            "停发提醒：补贴仍在发放",
            "人员已注销、死亡或迁出，补贴与救助的结束月份为空或晚于状态变更当月。请核实后停发。",
            ["项目", "开始月份", "结束月份", "人员状态"],
            scoped(selectors.grants_after_exit(user)),
            _grant_row,
            True,
        ),
        (
            "placements_after_exit",
            "停发提醒：托养服务仍在进行",
            "人员已注销、死亡或迁出，托养服务的结束日期为空或晚于状态变更日期。",
            ["托养机构", "开始日期", "结束日期", "人员状态"],
            scoped(selectors.placements_after_exit(user)),
            _placement_row,
            True,
        ),
        (
            "overlapping_grants",
            "同一项目的补贴时间重叠",
            "同一人员同一补贴项目有多条记录，发放月份相互重叠，可能重复发放。",
            ["项目", "开始月份", "结束月份"],
            scoped(selectors.kept_flags(selectors.overlapping_grants(user), "overlapping_grants")),
            _overlap_row,
            True,
        ),
        (
            "misdated_services",
            "康复服务日期异常",
            "康复服务日期早于残疾人证发证日期，或晚于人员注销、死亡、迁出日期。",
            ["服务项目", "服务日期", "发证日期", "人员状态", "问题"],
            scoped(selectors.kept_flags(selectors.misdated_rehab_services(user), "misdated_services")),
            _service_row,
            True,
        ),
        (
            "persons_without_survey",
            f"缺少{year}年度需求调查",
            f"在册（状态正常）的持证残疾人尚无{year}年度基本服务状况和需求调查记录。",
            ["残疾类别等级", "发证日期"],
            scoped(selectors.persons_without_survey(user, year), "street"),
            _person_row,
            False,
        ),
    ]
    sections = [
        _section(request, key, title, help_text, headers, queryset, row, by_ids=by_ids)
        for key, title, help_text, headers, queryset, row, by_ids in rules
        if opens_to(queryset.model, user)
    ]
    log_access(
        request=request,
        action=AccessLog.Action.LIST,
        object_type="data_quality",
        rows=[row for section in sections for row in section.rows],
        detail=f"数据质量 {year}年 {street or '全部可见街道'}",
    )
    return render(
        request,
        "quality/data_quality.html",
        {
            "sections": sections,
            "year": year,
            "years": range(today().year, FIRST_SURVEY_YEAR - 1, -1),
            "street": street,
            "streets": Street.objects.all() if sees_all_streets(user) else None,
        },
    )
