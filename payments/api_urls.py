from django.urls import path
from rest_framework.routers import DefaultRouter

from payments.api import RollLineViewSet, RollTotalsView, RollViewSet

app_name = "payments_api"

router = DefaultRouter()
router.register("rolls", RollViewSet, basename="roll")
router.register("lines", RollLineViewSet, basename="line")

urlpatterns = [path("totals/", RollTotalsView.as_view(), name="totals"), *router.urls]
