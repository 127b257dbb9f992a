from django.urls import path

from employment import views

app_name = "employment"

urlpatterns = [
    path("", views.index, name="index"),
    path("trainings/", views.training_list, name="training_list"),
    path("employments/", views.employment_list, name="employment_list"),
    path("graduates/", views.graduate_list, name="graduate_list"),
    path("person/<int:person_pk>/", views.person_section, name="person_section"),
    path("person/<int:person_pk>/trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/edit/", views.training_update, name="training_update"),
    path("person/<int:person_pk>/employments/new/", views.employment_create, name="employment_create"),
    path("employments/<int:pk>/edit/", views.employment_update, name="employment_update"),
    path("employments/<int:pk>/end/", views.employment_end, name="employment_end"),
    path("person/<int:person_pk>/graduates/new/", views.graduate_create, name="graduate_create"),
    path("graduates/<int:pk>/edit/", views.graduate_update, name="graduate_update"),
]
