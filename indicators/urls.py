from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("gaps/<str:code>/<int:year>/", views.gap_list, name="gap_list"),
    # street_id 0: every street the user may see.
    path("gaps/<str:code>/<int:year>/export/<int:street_id>.xlsx", views.gap_export, name="gap_export"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/status/", views.run_status, name="run_status"),
    path("runs/recompute/", views.recompute, name="recompute"),
    path("targets/", views.targets, name="targets"),
]
