from rest_framework.routers import DefaultRouter

app_name = "cases_api"

router = DefaultRouter()

urlpatterns = router.urls
