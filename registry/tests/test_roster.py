"""The roster of 专职委员 and its check: communities with more than 1,500 certificate holders and fewer
than 2 active 专职委员, and communities with none, are flagged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from core import services as core_services
from core.models import CommunityWorker
from core.roles import role_of
from registry import selectors
from registry.models import Person
from registry.tests.factories import CommunityFactory, PersonFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)


def _holders(community, count: int) -> None:
    """`count` persons in the register of `community` on ON (bulk: no history needed here)."""
    persons = []
    for n in range(count):
        # ID numbers have 1,000 sequence numbers per birth day: spread the persons over several days
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=community.pk * 10 + n // 400)
        person = PersonFactory.build(
            street=community.street, community=community, name=f"持证{n}", birth=birth
        )
        person.derive_fields()
        persons.append(person)
    Person.objects.bulk_create(persons)


def _worker(community, since=dt.date(2020, 1, 1), until=None, name="专职委员") -> CommunityWorker:
    return CommunityWorker.objects.create(community=community, name=name, since=since, until=until)


def _row(community, user) -> selectors.RosterRow:
    return next(r for r in selectors.community_roster(user=user, on=ON) if r.community.pk == community.pk)


def _flag(community, user) -> str:
    return _row(community, user).flag


@pytest.mark.parametrize(
    ("holders", "active", "flag"),
    [
        (1500, 1, ""),  # 1,500 is not "more than 1,500"
        (1501, 1, "short"),
        (1501, 2, ""),
        (1500, 0, "none"),
        (0, 0, "none"),
        (3, 1, ""),
    ],
)
def test_roster_check_edges(staff_user, holders, active, flag):
    community = CommunityFactory()
    _holders(community, holders)
    for n in range(active):
        _worker(community, name=f"委员{n}")
    row = _row(community, staff_user)
    assert (row.holders, row.active_workers, row.flag) == (holders, active, flag)


def test_a_term_ended_before_the_day_is_inactive_and_one_ending_that_day_is_active(staff_user):
    community = CommunityFactory()
    _holders(community, 1501)
    _worker(community, name="已离任", until=ON - dt.timedelta(days=1))
    _worker(community, name="在岗")
    assert _flag(community, staff_user) == "short"
    _worker(community, name="当天离任", until=ON)
    assert _flag(community, staff_user) == ""


def test_a_term_starting_later_is_not_active_yet(staff_user):
    community = CommunityFactory()
    _worker(community, since=ON + dt.timedelta(days=1))
    assert _flag(community, staff_user) == "none"


def test_persons_who_left_the_register_are_not_holders(staff_user):
    community = CommunityFactory()
    _holders(community, 1501)
    Person.objects.filter(pk=Person.objects.filter(community=community).first().pk).update(
        status="deceased", status_changed_on=dt.date(2024, 1, 1)
    )
    _worker(community)
    row = _row(community, staff_user)
    assert row.holders == 1500 and row.flag == ""


def test_flagged_selector_and_the_check_are_two_set_based_queries(staff_user, django_assert_num_queries):
    ok, none, short = CommunityFactory(), CommunityFactory(), CommunityFactory()
    _worker(ok)
    _holders(short, 1501)
    _worker(short)
    role_of(staff_user)  # the role is read once per request, before any page query
    # one for the communities with their active count, one GROUP BY over the register
    with django_assert_num_queries(2):
        flagged = {r.community.pk: r.flag for r in selectors.community_roster_flagged(user=staff_user, on=ON)}
    assert flagged.get(none.pk) == "none" and flagged.get(short.pk) == "short" and ok.pk not in flagged


def test_until_before_since_is_refused_by_clean_and_the_database():
    community = CommunityFactory()
    entry = CommunityWorker(
        community=community, name="甲", since=dt.date(2024, 1, 1), until=dt.date(2023, 1, 1)
    )
    with pytest.raises(ValidationError, match="离任日期不能早于任职日期"):
        entry.full_clean()
    with pytest.raises(IntegrityError):
        entry.save()


def test_roster_page_lists_communities_workers_holders_and_flags(client_for, staff_user):
    ok = CommunityFactory(name="配齐社区")
    CommunityFactory(name="空缺社区")
    _worker(ok, name="王委员")
    _worker(ok, name="李前任", since=dt.date(2015, 1, 1), until=dt.date(2019, 12, 31))
    PersonFactory(street=ok.street, community=ok)
    client = client_for(staff_user)
    response = client.get(reverse("registry:community_roster"))
    page = response.content.decode()
    rows = {r.community.name: r for r in response.context["rows"]}
    assert rows["配齐社区"].holders == 1 and [w.name for w in rows["配齐社区"].workers] == ["王委员"]
    assert "王委员" in page and "李前任" not in page
    assert rows["空缺社区"].flag_label == "没有在岗专职委员" and "没有在岗专职委员" in page
    flagged = {
        r.community.name
        for r in client.get(reverse("registry:community_roster"), {"flagged": "1"}).context["rows"]
    }
    assert "空缺社区" in flagged and "配齐社区" not in flagged


def test_roster_page_is_for_district_staff_only(client_for, clerk_user, worker_user):
    for user in (clerk_user, worker_user):
        assert client_for(user).get(reverse("registry:community_roster")).status_code == 404


def test_roster_service_records_who_and_refuses_clerks(staff_user, clerk_user):

    community = CommunityFactory()
    entry = core_services.community_worker_save(
        acting_user=staff_user,
        entry=CommunityWorker(
            community=community, name=" 钱委员 ", phone="025-83123456", since=dt.date(2024, 3, 1)
        ),
    )
    assert entry.name == "钱委员" and entry.history.get().history_user == staff_user
    with pytest.raises(ValidationError, match="只有区残联工作人员"):
        core_services.community_worker_save(
            acting_user=clerk_user,
            entry=CommunityWorker(community=community, name="孙", since=dt.date(2024, 1, 1)),
        )
    with pytest.raises(ValidationError, match="联系电话"):
        core_services.community_worker_save(
            acting_user=staff_user,
            entry=CommunityWorker(community=community, name="孙", phone="12", since=dt.date(2024, 1, 1)),
        )
    assert CommunityWorker.objects.count() == 1


@pytest.mark.parametrize(
    ("holders", "active", "flag"),
    [(1500, 1, ""), (1501, 1, "short"), (1501, 2, ""), (5000, 0, "none"), (0, 0, "none"), (1501, 3, "")],
)
def test_roster_flag_rule(holders, active, flag):
    assert selectors.roster_flag(holders=holders, active_workers=active) == flag


def test_roster_page_queries_do_not_grow_with_communities(
    client_for, staff_user, django_assert_max_num_queries
):
    client = client_for(staff_user)
    for n in range(3):
        _worker(CommunityFactory(), name=f"甲{n}")
    client.get(reverse("registry:community_roster"))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("registry:community_roster"))
    for n in range(10):
        _worker(CommunityFactory(), name=f"乙{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("registry:community_roster"))
