from django.urls import path

from rehab import views

app_name = "rehab"

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("persons/<int:person_pk>/section/", views.person_section, name="person_section"),
    path("persons/<int:person_pk>/services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/edit/", views.service_update, name="service_update"),
]
