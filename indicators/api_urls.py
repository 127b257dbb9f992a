from core.api import router_urls

from . import api

app_name = "indicators_api"

urlpatterns = router_urls(
    ("values", api.IndicatorValueViewSet, "value"),
    ("runs", api.IndicatorRunViewSet, "run"),
)
