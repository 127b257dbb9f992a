from core.api import router_urls
from legal_aid.api import AidCaseViewSet, ConsultationViewSet

app_name = "legal_aid_api"

urlpatterns = router_urls(
    ("consultations", ConsultationViewSet, "consultation"),
    ("cases", AidCaseViewSet, "case"),
)
