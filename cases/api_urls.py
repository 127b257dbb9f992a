from cases.api import CaseViewSet
from core.api import router_urls

app_name = "cases_api"

urlpatterns = router_urls(
    ("cases", CaseViewSet, "case"),
)
