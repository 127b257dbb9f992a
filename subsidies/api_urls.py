from rest_framework.routers import DefaultRouter

from subsidies.api import GrantViewSet

app_name = "subsidies_api"

router = DefaultRouter()
router.register("grants", GrantViewSet, basename="grant")

urlpatterns = router.urls
