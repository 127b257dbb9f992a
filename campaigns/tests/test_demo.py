import io

import pytest
from django.core.management import call_command

from campaigns import selectors
from campaigns.models import Campaign
from core.models import Community
from core.periods import today


@pytest.mark.django_db
def test_demo_has_this_years_campaign_in_progress_some_communities_done_some_behind(staff_user):
    call_command("generate_demo_data", "--persons", "600", "--seed", "7", stdout=io.StringIO())

    campaign = Campaign.objects.get(year=today().year)
    assert campaign.closed_on is None
    progress = selectors.campaign_progress(campaign=campaign, user=staff_user)
    shares = [r.done_share for r in progress.communities if r.counts["total"] >= 5]
    assert max(shares) >= 0.9 and min(shares) <= 0.5
    assert progress.district.counts["unreachable"] > 0
    assert Community.objects.filter(workers__isnull=False).distinct().count() == Community.objects.count()
