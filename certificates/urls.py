from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_create, name="application_create"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/step/", views.application_step, name="application_step"),
    path("queue/", views.review_queue, name="review_queue"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("statistics/", views.statistics, name="statistics"),
    path("persons/<int:person_pk>/section/", views.person_section, name="person_section"),
]
