from rest_framework.routers import DefaultRouter

app_name = "indicators_api"

router = DefaultRouter()

urlpatterns = router.urls
