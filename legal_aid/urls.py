from django.urls import path

from legal_aid import views

app_name = "legal_aid"

urlpatterns = [
    path("", views.index, name="index"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/edit/", views.consultation_update, name="consultation_update"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/edit/", views.case_update, name="case_update"),
    path("persons/<int:person_pk>/section/", views.person_section, name="person_section"),
    path("figures/", views.figures, name="figures"),
]
