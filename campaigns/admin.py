from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    """Read-only here: campaigns are opened and closed on the 年度调查 pages (services)."""

    list_display = ("year", "opened_on", "due_on", "closed_on")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
