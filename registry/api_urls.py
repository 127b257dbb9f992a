from core.api import router_urls
from registry import api

app_name = "registry_api"

urlpatterns = router_urls(
    ("persons", api.PersonViewSet, "person"),
    ("surveys", api.SurveyViewSet, "survey"),
)
