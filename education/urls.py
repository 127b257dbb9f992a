from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("visits/", views.visit_list, name="visit_list"),
    path("figures/", views.figures, name="figures"),
    path("gaps/", views.gap_list, name="gap_list"),
    path("gaps/export.xlsx", views.gap_export, name="gap_export"),
    path("persons/<int:person_pk>/section/", views.person_section, name="person_section"),
    path("persons/<int:person_pk>/aids/new/", views.aid_create, name="aid_create"),
    path("persons/<int:person_pk>/visits/new/", views.visit_create, name="visit_create"),
    path("aids/<int:pk>/edit/", views.aid_update, name="aid_update"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
]
