from rest_framework.routers import DefaultRouter

from education.api import EducationAidViewSet, HomeTeachingVisitViewSet

app_name = "education_api"

router = DefaultRouter()
router.register("aids", EducationAidViewSet, basename="aid")
router.register("visits", HomeTeachingVisitViewSet, basename="visit")

urlpatterns = router.urls
