"""社区管理: district staff rename communities and fold a typo into the right one, with history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import services as core_services
from core.models import Community, CommunityWorker, UserProfile
from registry import services
from registry.models import Person
from registry.tests.factories import CommunityFactory, PersonFactory, street

pytestmark = pytest.mark.django_db


@pytest.fixture
def typo_and_right():
    right = CommunityFactory(name="华侨路社区", street=street("华侨路街道"))
    typo = CommunityFactory(name="华桥路社区", street=street("华侨路街道"))
    return typo, right


def test_merge_moves_persons_profiles_and_roster_then_deletes_the_typo_with_history(
    staff_user, worker_user, typo_and_right
):
    typo, right = typo_and_right
    moved = [PersonFactory(street=typo.street, community=typo) for _ in range(2)]
    stays = PersonFactory(street=right.street, community=right)
    UserProfile.objects.filter(user=worker_user).update(street=typo.street, community=typo)
    CommunityWorker.objects.create(community=typo, name="王委员", since="2024-01-01")

    typo_pk = typo.pk
    result = services.community_merge(acting_user=staff_user, source=typo, target=right)

    assert result == {"persons": 2, "profiles": 1, "workers": 1}
    assert set(Person.objects.filter(community=right).values_list("pk", flat=True)) == {
        *(p.pk for p in moved),
        stays.pk,
    }
    assert UserProfile.objects.get(user=worker_user).community == right
    assert CommunityWorker.objects.get(name="王委员").community == right
    assert not Community.objects.filter(name="华桥路社区").exists()
    last = Person.history.filter(id=moved[0].pk).latest("history_date")
    assert (last.history_user, last.history_change_reason) == (
        staff_user,
        "社区合并：华桥路社区 → 华侨路社区",
    )
    deleted = Community.history.filter(id=typo_pk).latest("history_date")
    assert (deleted.history_type, deleted.history_user) == ("-", staff_user)


def test_merge_across_streets_or_by_a_clerk_is_refused(staff_user, clerk_user, typo_and_right):
    typo, right = typo_and_right
    elsewhere = CommunityFactory(name="宁海路社区")

    with pytest.raises(ValidationError, match="同一街道"):
        services.community_merge(acting_user=staff_user, source=typo, target=elsewhere)
    with pytest.raises(ValidationError, match="区残联工作人员"):
        services.community_merge(acting_user=clerk_user, source=typo, target=right)
    assert Community.objects.filter(pk=typo.pk).exists()


def test_rename_keeps_the_old_name_in_history_and_refuses_a_name_taken_in_the_street(
    staff_user, typo_and_right
):
    typo, _ = typo_and_right

    with pytest.raises(ValidationError, match="合并"):
        core_services.community_rename(acting_user=staff_user, community=typo, name="华侨路社区")
    core_services.community_rename(acting_user=staff_user, community=typo, name="华侨新村社区")

    assert Community.objects.get(pk=typo.pk).name == "华侨新村社区"
    assert [h.name for h in Community.history.filter(id=typo.pk).order_by("history_date")][
        -1
    ] == "华侨新村社区"
    assert Community.history.filter(id=typo.pk, name="华桥路社区").exists()


def test_the_page_lists_a_streets_communities_with_counts_and_merges(client_for, staff_user, typo_and_right):
    typo, right = typo_and_right
    PersonFactory(street=typo.street, community=typo)
    client = client_for(staff_user)

    html = client.get(reverse("registry:community_manage"), {"street": typo.street_id}).content.decode()
    assert "华桥路社区" in html and "华侨路社区" in html
    response = client.post(
        reverse("registry:community_merge", kwargs={"pk": typo.pk}), {"target": right.pk}, follow=True
    )

    assert "已将“华桥路社区”合并到“华侨路社区”：转入持证残疾人 1 名" in response.content.decode()
    assert Person.objects.get().community == right


def test_the_page_renames(client_for, staff_user, typo_and_right):
    typo, _ = typo_and_right

    client_for(staff_user).post(
        reverse("registry:community_rename", kwargs={"pk": typo.pk}), {"name": "新名称社区"}
    )

    assert Community.objects.get(pk=typo.pk).name == "新名称社区"
