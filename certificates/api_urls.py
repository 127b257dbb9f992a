from rest_framework.routers import DefaultRouter

from certificates.api import ApplicationViewSet

app_name = "certificates_api"

router = DefaultRouter()
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
