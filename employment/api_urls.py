from rest_framework.routers import DefaultRouter

from employment import api

app_name = "employment_api"

router = DefaultRouter()
router.register("trainings", api.TrainingViewSet, basename="trainings")
router.register("employments", api.EmploymentViewSet, basename="employments")
router.register("graduates", api.GraduateViewSet, basename="graduates")

urlpatterns = router.urls
