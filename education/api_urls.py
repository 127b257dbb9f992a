from rest_framework.routers import DefaultRouter

app_name = "education_api"

router = DefaultRouter()

urlpatterns = router.urls
