from rest_framework.routers import DefaultRouter

app_name = "organisations_api"

router = DefaultRouter()

urlpatterns = router.urls
