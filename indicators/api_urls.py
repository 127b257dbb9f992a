from rest_framework.routers import DefaultRouter

from . import api

app_name = "indicators_api"

router = DefaultRouter()
router.register("values", api.IndicatorValueViewSet, basename="value")
router.register("runs", api.IndicatorRunViewSet, basename="run")

urlpatterns = router.urls
