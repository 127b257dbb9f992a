from core.api import router_urls
from organisations import api

app_name = "organisations_api"

urlpatterns = router_urls(
    ("organisations", api.OrganisationViewSet, "organisations"),
    ("reviews", api.OrganisationReviewViewSet, "reviews"),
    ("teams", api.VolunteerTeamViewSet, "teams"),
    ("activities", api.ActivityViewSet, "activities"),
)
