from django.urls import path

from care_homes import views

app_name = "care_homes"

urlpatterns = [
    path("", views.home_list, name="home_list"),
    path("homes/new/", views.home_create, name="home_create"),
    path("homes/<int:pk>/", views.home_detail, name="home_detail"),
    path("homes/<int:pk>/edit/", views.home_update, name="home_update"),
    path("homes/<int:pk>/close/", views.home_close, name="home_close"),
    path("homes/<int:pk>/projects/", views.home_projects, name="home_projects"),
    path("homes/<int:home_pk>/projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/edit/", views.project_update, name="project_update"),
    path("projects/<int:pk>/end/", views.project_end, name="project_end"),
    path("placements/", views.placement_list, name="placement_list"),
    path("person/<int:person_pk>/", views.person_section, name="person_section"),
    path("person/<int:person_pk>/placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", views.placement_update, name="placement_update"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
]
