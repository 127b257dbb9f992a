from core.api import router_urls
from employment import api

app_name = "employment_api"

urlpatterns = router_urls(
    ("trainings", api.TrainingViewSet, "trainings"),
    ("employments", api.EmploymentViewSet, "employments"),
    ("graduates", api.GraduateViewSet, "graduates"),
)
