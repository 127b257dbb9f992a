from rest_framework.routers import DefaultRouter

app_name = "rehab_api"

router = DefaultRouter()

urlpatterns = router.urls
