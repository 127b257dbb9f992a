from rest_framework.routers import DefaultRouter

from rehab.api import RehabServiceViewSet

app_name = "rehab_api"

router = DefaultRouter()
router.register("services", RehabServiceViewSet, basename="service")

urlpatterns = router.urls
