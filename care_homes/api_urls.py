from rest_framework.routers import DefaultRouter

from care_homes import api

app_name = "care_homes_api"

router = DefaultRouter()
router.register("homes", api.CareHomeViewSet, basename="homes")
router.register("placements", api.PlacementViewSet, basename="placements")
router.register("projects", api.AuxProjectViewSet, basename="projects")

urlpatterns = router.urls
