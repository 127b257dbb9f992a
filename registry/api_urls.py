from rest_framework.routers import DefaultRouter

app_name = "registry_api"

router = DefaultRouter()

urlpatterns = router.urls
