from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet

app_name = "cases_api"

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
