from django.urls import path

from subsidies import views

app_name = "subsidies"

urlpatterns = [
    path("", views.grant_list, name="grant_list"),
    path("missing/", views.missing_list, name="missing_list"),
    path("persons/<int:person_pk>/section/", views.person_section, name="person_section"),
    path("persons/<int:person_pk>/grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/edit/", views.grant_update, name="grant_update"),
    path("grants/<int:pk>/end/", views.grant_end, name="grant_end"),
]
