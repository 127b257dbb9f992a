from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import Campaign
from core.admin import ReadOnlyAdminMixin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: campaigns are opened and closed on the 年度调查 pages (services)."""

    list_display = ("year", "opened_on", "due_on", "closed_on")
