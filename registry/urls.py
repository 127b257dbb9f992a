from django.urls import path

from registry import views_quality

app_name = "registry"

urlpatterns = [
    path("data-quality/", views_quality.data_quality, name="data_quality"),
]
