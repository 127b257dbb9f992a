from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.preview, name="preview"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:pk>/progress/", views.progress, name="progress"),
    path("jobs/<int:pk>/result/", views.result, name="result"),
    path("jobs/<int:pk>/marked/", views.marked_copy, name="marked_copy"),
]
