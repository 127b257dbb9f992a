from core.api import router_urls
from education.api import EducationAidViewSet, HomeTeachingVisitViewSet

app_name = "education_api"

urlpatterns = router_urls(
    ("aids", EducationAidViewSet, "aid"),
    ("visits", HomeTeachingVisitViewSet, "visit"),
)
