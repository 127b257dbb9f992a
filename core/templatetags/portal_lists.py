"""Paging and sorting of the portal's lists: page numbers with a jump box, column headers that sort."""

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def page_numbers(page_obj):
    """1 … 4 5 [6] 7 8 … 20: the page numbers around the current one (… is Paginator.ELLIPSIS)."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column header that sorts the list by `key`, ascending first, then descending; the current
    sort shows an arrow. The list's other parameters are kept, the page starts again at 1."""
    request = context["request"]
    current = request.GET.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    descending = current == key
    params["sort"] = f"-{key}" if descending else key
    arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    return format_html(
        '<a class="sort-link text-reset" href="?{}" aria-sort="{}" data-sort="{}">{}{}</a>',
        urlencode(sorted(params.lists()), doseq=True),
        state,
        key,
        label,
        arrow,
    )
