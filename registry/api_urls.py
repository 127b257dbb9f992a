from rest_framework.routers import DefaultRouter

from registry import api

app_name = "registry_api"

router = DefaultRouter()
router.register("persons", api.PersonViewSet, basename="person")
router.register("surveys", api.SurveyViewSet, basename="survey")

urlpatterns = router.urls
