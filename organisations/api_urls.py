from rest_framework.routers import DefaultRouter

from organisations import api

app_name = "organisations_api"

router = DefaultRouter()
router.register("organisations", api.OrganisationViewSet, basename="organisations")
router.register("reviews", api.OrganisationReviewViewSet, basename="reviews")
router.register("teams", api.VolunteerTeamViewSet, basename="teams")
router.register("activities", api.ActivityViewSet, basename="activities")

urlpatterns = router.urls
