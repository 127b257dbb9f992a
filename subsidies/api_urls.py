from rest_framework.routers import DefaultRouter

app_name = "subsidies_api"

router = DefaultRouter()

urlpatterns = router.urls
