from rest_framework.routers import DefaultRouter

app_name = "legal_aid_api"

router = DefaultRouter()

urlpatterns = router.urls
