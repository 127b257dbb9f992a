from celery import shared_task

from campaigns import services
from campaigns.models import Campaign


@shared_task
def sync_open_campaigns() -> dict[int, dict[str, int]]:
    """Nightly: persons who joined the register are added to the open campaigns, those who left marked."""
    return {
        c.year: services.campaign_sync(campaign=c) for c in Campaign.objects.filter(closed_on__isnull=True)
    }
