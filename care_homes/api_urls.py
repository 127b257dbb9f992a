from care_homes import api
from core.api import router_urls

app_name = "care_homes_api"

urlpatterns = router_urls(
    ("homes", api.CareHomeViewSet, "homes"),
    ("placements", api.PlacementViewSet, "placements"),
    ("projects", api.AuxProjectViewSet, "projects"),
)
