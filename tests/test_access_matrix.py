"""Every URL pattern of the project, opened by every role and by an anonymous visitor.

A new page must declare its case in `<app>/tests/access_cases.py`, or
`test_every_url_pattern_has_an_access_case` fails: no page can forget scoping.
"""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Community, Street
from core.roles import COMMUNITY_WORKER_FORBIDDEN_DOMAINS, COMMUNITY_WORKER_OPEN_VIEWS
from registry.models import Person
from tests.access import Case, Kind

ROOT = Path(__file__).resolve().parent.parent
# The project's own apps (those under ROOT), in INSTALLED_APPS order; those with pages list them in
# <app>/tests/access_cases.py.
APPS = [config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]
PROJECT_CASES = [
    Case("home", Kind.AGGREGATE, ok_status=302),
    Case("healthz", Kind.PUBLIC),
    Case("login", Kind.PUBLIC),
    Case("logout", Kind.AGGREGATE, ok_status=405),
    Case("account_token", Kind.AGGREGATE),
    Case("api-token", Kind.AGGREGATE),
    Case("api-schema", Kind.AGGREGATE),
    Case("api-docs", Kind.AGGREGATE),
]
# Patterns that are not pages of their own: admin (checked by its own tests) and DRF format suffixes.
SKIPPED_PREFIXES = ("admin:",)


def _collect_cases() -> dict[str, Case]:
    cases = {case.url_name: case for case in PROJECT_CASES}
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.access_cases")
        except ModuleNotFoundError:
            continue
        for case in module.ACCESS_CASES:
            assert case.url_name not in cases, f"duplicate access case {case.url_name}"
            cases[case.url_name] = case
    return cases


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _is_skipped(name: str) -> bool:
    if name.startswith(SKIPPED_PREFIXES):
        return True
    # DRF routers add "api-root" and "<basename>-<action>" names; -detail/-list are declared like pages.
    return name.endswith(":api-root")


CASES = _collect_cases()


def test_every_url_pattern_has_an_access_case():
    missing = sorted(n for n in _url_names() if not _is_skipped(n) and n not in CASES)
    assert not missing, f"URL patterns without an access case: {missing}"


def _expected_ok(case: Case, status: int) -> bool:
    return status == case.ok_status


DENIED = {403, 404}


@pytest.mark.parametrize("case", list(CASES.values()), ids=lambda c: c.url_name)
def test_access_matrix(case, client, role_users):
    own_street = Street.objects.get(name="宁海路街道")
    other_street = Street.objects.get(name="华侨路街道")
    own_kwargs = case.kwargs_for(own_street) if case.kwargs_for else {}
    other_kwargs = case.kwargs_for(other_street) if case.kwargs_for else None
    own_url = reverse(case.url_name, kwargs=own_kwargs) + case.query
    other_url = reverse(case.url_name, kwargs=other_kwargs) + case.query if other_kwargs is not None else None
    is_api = own_url.startswith("/api/")

    def status_as(user, url):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client.get(url).status_code

    # given an anonymous visitor
    anon = status_as(None, own_url)
    if case.kind == Kind.PUBLIC:
        assert _expected_ok(case, anon), (case.url_name, "anonymous", anon)
        return
    assert anon in ({401, 403} if is_api else {302}), (case.url_name, "anonymous", anon)

    official = status_as(role_users["official"], own_url)
    clerk_own = status_as(role_users["clerk"], own_url)
    staff = status_as(role_users["staff"], own_url)
    admin = status_as(role_users["admin"], own_url)
    if case.kind == Kind.AGGREGATE:
        assert all(_expected_ok(case, s) for s in (official, clerk_own, staff, admin)), (
            case.url_name,
            official,
            clerk_own,
            staff,
            admin,
        )
    elif case.kind == Kind.PERSON_DATA:
        assert official in DENIED, (case.url_name, "official", official)
        assert _expected_ok(case, clerk_own), (case.url_name, "clerk own street", clerk_own)
        assert _expected_ok(case, staff) and _expected_ok(case, admin), (case.url_name, staff, admin)
    elif case.kind == Kind.STAFF:
        assert official in DENIED and clerk_own in DENIED, (case.url_name, official, clerk_own)
        assert _expected_ok(case, staff) and _expected_ok(case, admin), (case.url_name, staff, admin)
    elif case.kind == Kind.ADMIN:
        assert _expected_ok(case, admin), (case.url_name, "admin", admin)
        assert official != case.ok_status and clerk_own != case.ok_status, (
            case.url_name,
            official,
            clerk_own,
        )

    if other_url is not None and case.kind == Kind.PERSON_DATA:
        # another street's object answers 404 to a clerk: its existence is not revealed
        assert status_as(role_users["clerk"], other_url) == 404, (case.url_name, "clerk other street")
        assert _expected_ok(case, status_as(role_users["staff"], other_url)), (
            case.url_name,
            "staff other street",
        )


# The community worker (社区专职委员) of 宁海路社区 ---------------------------------------------------


def _addressed_in(case: Case, street: Street, community: Community) -> tuple[dict, bool]:
    """The case's URL kwargs for an object of `street`, with the persons that kwargs_for created there
    moved into `community`; True when the URL addresses such a person (or one of his records)."""
    if case.kwargs_for is None:
        return {}, False
    before = Person.objects.aggregate(last=Max("pk"))["last"] or 0
    kwargs = case.kwargs_for(street)
    moved = Person.objects.filter(pk__gt=before, street=street).update(community=community)
    return kwargs, moved > 0


def _closed_to_workers(url_name: str) -> bool:
    namespace = url_name.rpartition(":")[0]
    return namespace in COMMUNITY_WORKER_FORBIDDEN_DOMAINS and url_name not in COMMUNITY_WORKER_OPEN_VIEWS


@pytest.mark.parametrize("case", list(CASES.values()), ids=lambda c: c.url_name)
def test_access_matrix_community_worker(
    case, client, worker_user, communityless_worker_user, worker_community, other_community
):
    """Community A's worker: his community's objects open, community B's (same street) and another
    street's answer 404; a closed domain (grants, care homes, imports, payment rolls) answers 403."""
    own_street = worker_community.street
    other_street = Street.objects.get(name="华侨路街道")
    far_community = Community.objects.create(street=other_street, name="矩阵测试社区")
    own_kwargs, _ = _addressed_in(case, own_street, worker_community)
    neighbour_kwargs, addresses_person = _addressed_in(case, own_street, other_community)
    far_kwargs, _ = _addressed_in(case, other_street, far_community)
    client.force_login(worker_user, backend="django.contrib.auth.backends.ModelBackend")

    def status(kwargs):
        return client.get(reverse(case.url_name, kwargs=kwargs) + case.query).status_code

    if case.kind == Kind.PUBLIC:
        return  # the login page sends a signed-in user on; the main matrix checks public pages
    own = status(own_kwargs)
    if case.kind == Kind.AGGREGATE:
        # figures of a closed domain (payment roll totals) are closed too
        expected = 403 if _closed_to_workers(case.url_name) else case.ok_status
        assert own == expected, (case.url_name, "worker", own)
        return
    if case.kind == Kind.STAFF:
        assert own in DENIED, (case.url_name, "worker", own)
        return
    if case.kind == Kind.ADMIN:
        assert own != case.ok_status, (case.url_name, "worker", own)
        return
    # PERSON_DATA: a worker without a community sees nothing
    client.force_login(communityless_worker_user, backend="django.contrib.auth.backends.ModelBackend")
    assert status(own_kwargs) in DENIED, (case.url_name, "worker without community")
    client.force_login(worker_user, backend="django.contrib.auth.backends.ModelBackend")
    if _closed_to_workers(case.url_name):
        assert own == 403, (case.url_name, "worker, closed domain", own)
        if case.kwargs_for is not None:
            assert status(neighbour_kwargs) == 403 and status(far_kwargs) == 403, case.url_name
        return
    assert _expected_ok(case, own), (case.url_name, "worker own community", own)
    if addresses_person:
        # another community of the same street: its existence is not revealed
        assert status(neighbour_kwargs) == 404, (case.url_name, "worker other community")
    if case.kwargs_for is not None:
        assert status(far_kwargs) == 404, (case.url_name, "worker other street")


def test_access_matrix_walks_an_other_community_object_for_every_person_url():
    """The worker's matrix proves 404 for another community on every URL that addresses a person:
    every PERSON_DATA case with kwargs_for outside the closed domains (the gap export addresses a street)."""
    addressed = [
        c.url_name
        for c in CASES.values()
        if c.kind == Kind.PERSON_DATA and c.kwargs_for is not None and not _closed_to_workers(c.url_name)
    ]
    assert len(addressed) >= 20


WRITE_METHODS = ("post", "put", "patch", "delete")
# Person-data URLs whose object is a street, not a person of a community (a street's gap export).
ADDRESSING_A_STREET = {"indicators:gap_export"}


def _assert_writes_answer_404(client, case: Case, *, other_url: str, own_url: str) -> None:
    """Each write method sent to `other_url` (an object out of the user's scope) answers 404, or, for a
    method the URL refuses for every object (405, or 403 before any lookup), what it answers at
    `own_url` (an object of his own scope)."""
    for method in WRITE_METHODS:
        # the object out of scope first: the write to his own may change or delete its object
        other = getattr(client, method)(other_url + case.query, content_type="application/json")
        if other.status_code == 404:
            continue
        own = getattr(client, method)(own_url + case.query, content_type="application/json")
        assert other.status_code in (403, 405) and other.status_code == own.status_code, (
            case.url_name,
            method,
            other.status_code,
            own.status_code,
        )


@pytest.mark.parametrize(
    "case",
    [c for c in CASES.values() if c.kind == Kind.PERSON_DATA and c.kwargs_for is not None],
    ids=lambda c: c.url_name,
)
def test_writes_to_another_streets_record_answer_404_on_every_method(case, client, role_users):
    """A clerk's POST, PUT, PATCH or DELETE addressed to another street's object answers 404, as its
    GET does, whatever the method: only a method the URL refuses for every object (405, or 403 before
    any lookup) may answer otherwise, and then as it answers for his own street's object."""
    own_url = reverse(case.url_name, kwargs=case.kwargs_for(Street.objects.get(name="宁海路街道")))
    other_url = reverse(case.url_name, kwargs=case.kwargs_for(Street.objects.get(name="华侨路街道")))
    client.force_login(role_users["clerk"], backend="django.contrib.auth.backends.ModelBackend")
    _assert_writes_answer_404(client, case, other_url=other_url, own_url=own_url)


@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CASES.values()
        if c.kind == Kind.PERSON_DATA
        and c.kwargs_for is not None
        and not _closed_to_workers(c.url_name)
        and c.url_name not in ADDRESSING_A_STREET
    ],
    ids=lambda c: c.url_name,
)
def test_a_workers_writes_to_another_communitys_record_answer_404_on_every_method(
    case, client, worker_user, worker_community, other_community
):
    """As the clerk's test above, for the community worker and a record of another community of his street."""
    street = worker_community.street
    own_kwargs, _ = _addressed_in(case, street, worker_community)
    neighbour_kwargs, addresses_person = _addressed_in(case, street, other_community)
    assert addresses_person, f"{case.url_name} addresses no person: list it in ADDRESSING_A_STREET"
    client.force_login(worker_user, backend="django.contrib.auth.backends.ModelBackend")
    _assert_writes_answer_404(
        client,
        case,
        other_url=reverse(case.url_name, kwargs=neighbour_kwargs),
        own_url=reverse(case.url_name, kwargs=own_kwargs),
    )
