from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_update, name="organisation_update"),
    path("<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("<int:pk>/activities/new/", views.organisation_activity_create, name="organisation_activity_create"),
    path("reviews/<int:pk>/edit/", views.review_update, name="review_update"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_update, name="team_update"),
    path("teams/<int:pk>/activities/new/", views.team_activity_create, name="team_activity_create"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity_update"),
    path("figures/", views.figures, name="figures"),
]
