from core.api import router_urls
from subsidies.api import GrantViewSet

app_name = "subsidies_api"

urlpatterns = router_urls(
    ("grants", GrantViewSet, "grant"),
)
