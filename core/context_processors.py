"""Navigation that shows only what exists and what the user's role may use."""

from django.urls import NoReverseMatch, reverse

from core.roles import Role, community_of, role_of, street_of

PERSON_ROLES = {Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_CLERK, Role.COMMUNITY_WORKER}
# Grants, care homes and imports: not for community workers (access.md).
GRANT_ROLES = {Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_CLERK}
STAFF_ROLES = {Role.ADMIN, Role.DISTRICT_STAFF}
ALL_ROLES = set(Role)

# (label, url name, roles). Entries whose URL does not exist (yet) are skipped.
NAVIGATION = [
    ("工作台", "registry:workbench", PERSON_ROLES),
    ("指标看板", "indicators:dashboard", ALL_ROLES),
    ("持证残疾人", "registry:person_list", PERSON_ROLES),
    ("补贴与救助", "subsidies:grant_list", GRANT_ROLES),
    ("就业与培训", "employment:index", PERSON_ROLES),
    ("康复服务", "rehab:service_list", PERSON_ROLES),
    ("托养机构", "care_homes:home_list", GRANT_ROLES),
    ("年度调查", "campaigns:index", ALL_ROLES),
    ("数据质量", "quality:data_quality", PERSON_ROLES),
    ("办证管理", "certificates:application_list", GRANT_ROLES),
    ("办证管理", "certificates:statistics", {Role.OFFICIAL}),
    ("信访与维权", "cases:case_list", PERSON_ROLES),
    ("信访与维权", "cases:figures", {Role.OFFICIAL}),
    ("法律救助", "legal_aid:index", PERSON_ROLES),
    ("法律救助", "legal_aid:figures", {Role.OFFICIAL}),
    ("助残组织", "organisations:index", GRANT_ROLES),
    ("助残组织", "organisations:figures", {Role.OFFICIAL}),
    ("教育助学", "education:record_list", PERSON_ROLES),
    ("教育助学", "education:figures", {Role.OFFICIAL}),
    ("发放名册", "payments:overview", GRANT_ROLES),
    ("发放名册", "payments:totals", {Role.OFFICIAL}),
    ("Excel导入", "imports:index", GRANT_ROLES),
    ("计算批次", "indicators:run_list", STAFF_ROLES),
    ("专职委员", "registry:community_roster", STAFF_ROLES),
    ("系统管理", "admin:index", {Role.ADMIN}),
]


def _url_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _nav_for(role):
    items = [(label, _url_or_none(url_name)) for label, url_name, roles in NAVIGATION if role in roles]
    return [{"label": label, "url": url} for label, url in items if url is not None]


def _mark_active(items: list[dict], path: str) -> list[dict]:
    """Exactly one item is highlighted: the one whose URL is the longest prefix of the path."""
    matching = [item for item in items if path.startswith(item["url"])]
    best = max(matching, key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is best
    return items


def portal(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    if role is None:
        return {"portal_nav": [], "portal_role": None}
    return {
        "portal_nav": _mark_active(_nav_for(role), request.path),
        "portal_role": role,
        "portal_role_label": role.label,
        "portal_street": street_of(user),
        "portal_community": community_of(user),
    }
