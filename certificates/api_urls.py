from certificates.api import ApplicationViewSet
from core.api import router_urls

app_name = "certificates_api"

urlpatterns = router_urls(
    ("applications", ApplicationViewSet, "application"),
)
