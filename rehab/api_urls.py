from core.api import router_urls
from rehab.api import RehabServiceViewSet

app_name = "rehab_api"

urlpatterns = router_urls(
    ("services", RehabServiceViewSet, "service"),
)
