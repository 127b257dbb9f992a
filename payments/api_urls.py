from django.urls import path

from core.api import router_urls
from payments.api import RollLineViewSet, RollTotalsView, RollViewSet

app_name = "payments_api"

urlpatterns = [
    path("totals/", RollTotalsView.as_view(), name="totals"),
    *router_urls(
        ("rolls", RollViewSet, "roll"),
        ("lines", RollLineViewSet, "line"),
    ),
]
