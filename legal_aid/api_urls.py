from rest_framework.routers import DefaultRouter

from legal_aid.api import AidCaseViewSet, ConsultationViewSet

app_name = "legal_aid_api"

router = DefaultRouter()
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("cases", AidCaseViewSet, basename="case")

urlpatterns = router.urls
