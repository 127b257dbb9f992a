from rest_framework.routers import DefaultRouter

app_name = "care_homes_api"

router = DefaultRouter()

urlpatterns = router.urls
