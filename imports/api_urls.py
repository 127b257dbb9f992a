from rest_framework.routers import DefaultRouter

app_name = "imports_api"

router = DefaultRouter()

urlpatterns = router.urls
