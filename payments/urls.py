from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("build/", views.roll_build, name="roll_build"),
    path("rolls/<int:pk>/", views.roll_detail, name="roll_detail"),
    path("rolls/<int:pk>/submit/", views.roll_submit, name="roll_submit"),
    path("rolls/<int:pk>/approve/", views.roll_approve, name="roll_approve"),
    path("rolls/<int:pk>/return/", views.roll_return, name="roll_return"),
    path("rolls/<int:pk>/bank-file/", views.roll_bank_file, name="roll_bank_file"),
    path("rolls/<int:pk>/return-file/", views.roll_return_file, name="roll_return_file"),
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/new/", views.standard_edit, name="standard_create"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_update"),
    path("recoveries/", views.recovery_list, name="recovery_list"),
    path("recoveries/<int:pk>/recovered/", views.recovery_mark, name="recovery_mark"),
    path("totals/", views.totals, name="totals"),
]
