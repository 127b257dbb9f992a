from rest_framework.routers import DefaultRouter

app_name = "employment_api"

router = DefaultRouter()

urlpatterns = router.urls
